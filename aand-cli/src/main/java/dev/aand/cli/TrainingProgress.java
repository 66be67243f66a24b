package dev.aand.cli;

import dev.aand.train.EpochLog;
import dev.aand.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Map;

/**
 * Draws training progress bars on the console and appends every epoch to a log file. The log is
 * never truncated: each run starts with a header, so the file keeps the whole history, and a
 * failed run ends with its error and causes.
 */
final class TrainingProgress implements TrainingListener, AutoCloseable {
    private final PrintStream console;
    private final Writer log;
    private ProgressBar bar;
    private String barKey;

    TrainingProgress(PrintStream console, Path logFile) {
        this.console = console;
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            this.log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write log " + logFile, e);
        }
    }

    @Override
    public void onStep(String stage, int epoch, int epochs, int step, int steps, Map<String, Double> losses,
            double imagesPerSecond) {
        if (bar == null || !stage.equals(barKey)) {
            bar = new ProgressBar(console);
            barKey = stage;
        }
        int done = epoch * steps + step;
        bar.update(stage, done, epochs * steps, String.format(Locale.ROOT, "epoch %d/%d %s %.1f img/s",
                epoch + 1, epochs, ProgressBar.terms(losses), imagesPerSecond));
    }

    @Override
    public void onEpoch(EpochLog e) {
        write(String.format(Locale.ROOT, "%s epoch %d lr=%.6f %s seconds=%.2f images=%d", e.stage(), e.epoch() + 1,
                e.learningRate(), ProgressBar.terms(e.losses()), e.seconds(), e.images()));
    }

    /** The first lines of a run: who, when, where, with which settings. */
    void runHeader(String what, Path out, String configJson) {
        write("==== run started: aand " + dev.aand.train.Version.get() + " " + what + " --out " + out.toAbsolutePath()
                + " (pid " + ProcessHandle.current().pid() + ", java " + System.getProperty("java.version") + ")");
        write("config " + com.google.gson.JsonParser.parseString(configJson));
    }

    /** The error that ended the run, with its causes and stack trace (the console shows one line). */
    void runFailed(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        write("run failed: " + Main.message(e) + System.lineSeparator() + trace.toString().stripTrailing());
    }

    void runFinished(String summary) {
        write("run finished: " + summary);
    }

    @Override
    public void onMessage(String message) {
        console.println(message);
        write(message);
    }

    private void write(String line) {
        try {
            log.write(LocalDateTime.now().withNano(0) + " " + line + System.lineSeparator());
            log.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
