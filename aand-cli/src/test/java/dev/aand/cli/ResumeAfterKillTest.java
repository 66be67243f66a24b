package dev.aand.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.aand.engine.OfflineEngine;
import dev.aand.testing.Engines;
import dev.aand.testing.TinyCookie;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real training processes killed at every kind of moment and resumed with {@code --resume} must
 * end with a model byte-identical to an uninterrupted run's. Each kill is a separate JVM on the
 * test classpath, ended by a real SIGKILL: most send it to themselves at an exact point named by
 * the test-only {@code aand.test.haltAt} property; one is killed from here while a checkpoint is
 * being written, wherever that lands.
 */
class ResumeAfterKillTest {
    /**
     * Whole scenarios tried before a differing model fails the test. A fault in resuming gives
     * the same difference every time; the engine's own rare difference between two processes
     * (below) does not come twice in a row in practice.
     */
    private static final int ATTEMPTS = 3;

    @TempDir
    Path base;

    /** The current attempt's folder. */
    private Path dir;
    private Path data;
    private int runs;

    private List<String> args(Path root, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--root", root.toString(), "--category", "cookie",
                "--image-size", "32", "--batch-size", "2", "--stage1-epochs", "2", "--stage2-epochs", "2",
                "--threads", "1", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void killedAnywhereThenResumedGivesTheUninterruptedModelByteForByte() throws Exception {
        Engines.manager().close();
        // Every training here, in this JVM and in the killed ones, runs libtorch on one thread:
        // this test is about what resuming restores. Training used to differ now and then (1 run
        // of this test in 40), whenever a garbage collection freed a constant that autograd kept
        // in Java memory (fixed: engine/Scalars; docs/method.md, "Reproducibility"). A difference
        // is still reported and the scenario run again from the start, in a new folder.
        int threads = OfflineEngine.threads();
        OfflineEngine.setThreads(1);
        try {
            List<String> differences = new ArrayList<>();
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                dir = Files.createDirectories(base.resolve("attempt-" + attempt));
                String difference = resumeEverywhere();
                if (difference == null) {
                    break;
                }
                difference = "attempt " + attempt + ": " + difference;
                System.out.println(difference);
                differences.add(difference);
            }
            assertTrue(differences.size() < ATTEMPTS, String.join("\n", differences));
        } finally {
            OfflineEngine.setThreads(threads);
        }
    }

    /**
     * One whole scenario in {@link #dir}.
     *
     * @return null when the resumed model's weights are the uninterrupted run's, byte for byte;
     *     otherwise how they differ (every other check fails the test at once)
     */
    private String resumeEverywhere() throws Exception {
        data = TinyCookie.create(dir.resolve("data"), 4, 1, 1);
        Path ref = dir.resolve("ref");
        assertEquals(0, inProcess(args(data, ref)).rc, "uninterrupted reference run");

        Path out = dir.resolve("m");
        Path checkpoint = dir.resolve("m.checkpoint");
        Run r = halted("stage1:epoch1:step1", args(data, out));
        assertTrue(Files.isRegularFile(checkpoint) && !Files.exists(out), r.log);
        assertFalse(Files.exists(dir.resolve(".m.checkpoint.partial")), "a step halt waits for the write in flight");

        // Refusals, each one line, before any training.
        Run fresh = inProcess(args(data, out));
        assertEquals(1, fresh.rc);
        assertEquals("error: an interrupted run left " + checkpoint + ": resume it (--resume) or delete it to start"
                + " over", fresh.err.strip());
        Run changed = inProcess(args(data, out, "--resume", "--lr", "0.01"));
        assertEquals(1, changed.rc);
        assertEquals("error: cannot resume from " + checkpoint + ": its configuration differs in learningRate 0.005"
                + " vs 0.01 (checkpoint vs requested)", changed.err.strip());
        Run otherData = inProcess(args(TinyCookie.create(dir.resolve("data3"), 3, 1, 1), out, "--resume"));
        assertEquals(1, otherData.rc);
        assertTrue(otherData.err.strip().startsWith("error: cannot resume from " + checkpoint
                + ": it was trained on different images"), otherData.err);
        Run nothing = inProcess(args(data, dir.resolve("never"), "--resume"));
        assertEquals(1, nothing.rc);
        assertTrue(nothing.err.strip().startsWith("error: nothing to resume: no checkpoint "
                + dir.resolve("never.checkpoint")), nothing.err);

        // A real SIGKILL while the first checkpoint of this process (after stage-1 epoch 2) is written.
        r = killedDuringSave(args(data, out, "--resume"));
        assertResumedAfter(r, "stage1 epoch 1");
        // The new checkpoint is complete but not yet renamed into place: the old one must be used.
        r = halted("save:stage2:epoch0:written", args(data, out, "--resume"));
        assertTrue(r.log.contains("resuming from " + checkpoint + " after stage1 epoch 1")
                || r.log.contains("resuming from " + checkpoint + " after stage1 epoch 2"), r.log);
        assertTrue(Files.exists(dir.resolve(".m.checkpoint.partial")), "the unrenamed checkpoint is left behind");
        r = halted("stage2:epoch1:step1", args(data, out, "--resume"));
        assertResumedAfter(r, "stage1 epoch 2");
        // Killed inside the model's save: complete and synced in its staging folder, not yet renamed.
        r = halted("commit:model:staged", args(data, out, "--resume"));
        assertResumedAfter(r, "stage2 epoch 1");
        assertFalse(Files.exists(out), "an uncommitted model never appears at --out");
        assertEquals(1, hidden(".m.aand-tmp-").size(), "the staged model is left behind by the kill");
        r = halted("model-written", args(data, out, "--resume"));
        assertResumedAfter(r, "stage2 epoch 2");
        assertEquals(List.of(), hidden(".m.aand-tmp-"), "the next writer removes the dead run's staging folder");
        long mismatch = weightsMismatch(ref, out);
        if (mismatch != -1) {
            return "weights.safetensors differs from the uninterrupted run's at byte " + mismatch + "; "
                    + thirdOpinion(ref, out);
        }
        assertSameModel(ref, out);

        Run last = inProcess(args(data, out, "--resume"));
        assertEquals(0, last.rc, last.err);
        assertTrue(last.log.contains("resuming from " + checkpoint + " after stage2 epoch 2"), last.log);
        assertSameModel(ref, out);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.contains("checkpoint"))
                    .toList(), "the checkpoint and every temporary file are removed with the model written");
        }
        return null;
    }

    private List<String> hidden(String prefix) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
        }
    }

    private static void assertSameModel(Path expected, Path actual) throws Exception {
        for (String f : List.of("weights.safetensors", "config.json")) {
            assertEquals(-1L, Files.mismatch(expected.resolve(f), actual.resolve(f)), f + " differs");
        }
        // model.json too, but for the moment each model was written (provenance.createdAt).
        assertEquals(withoutCreationTime(expected), withoutCreationTime(actual), "model.json differs");
    }

    private static com.google.gson.JsonObject withoutCreationTime(Path model) throws Exception {
        var json = com.google.gson.JsonParser.parseString(Files.readString(model.resolve("model.json")))
                .getAsJsonObject();
        assertTrue(json.getAsJsonObject("provenance").remove("createdAt") != null, "model.json has a creation time");
        return json;
    }

    private void assertResumedAfter(Run r, String where) {
        assertTrue(r.log.contains("resuming from " + dir.resolve("m.checkpoint") + " after " + where), r.log);
    }

    /** @param err the command's error line, @param log what training printed */
    private record Run(int rc, String err, String log) {}

    /** The command in this JVM, with its error line and console output captured. */
    private static Run inProcess(List<String> args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int rc;
        try (PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            System.setErr(capture); // training progress goes to System.err
            var cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            rc = cl.execute(args.toArray(String[]::new));
        } finally {
            System.setErr(old);
        }
        return new Run(rc, err.toString(), console.toString(StandardCharsets.UTF_8));
    }

    private Process start(String haltAt, List<String> args, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx3g", "-Dai.djl.offline=true", "-Djava.awt.headless=true", "-Dai.djl.pytorch.num_threads=1"));
        if (haltAt != null) {
            cmd.add("-Daand.test.haltAt=" + haltAt);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    /** A training JVM that kills itself at {@code point}; fails unless a SIGKILL ended it there. */
    private Run halted(String point, List<String> args) throws Exception {
        Path log = dir.resolve("run-" + ++runs + ".txt");
        long t0 = System.nanoTime();
        Process p = start(point, args, log);
        int rc = waitFor(p);
        String text = Files.readString(log);
        System.out.printf("run %d halting at %s: %.1f s, %s%n", runs, point, (System.nanoTime() - t0) / 1e9,
                resumedFrom(text));
        assertEquals(137, rc, "run halting at " + point + ":\n" + text);
        assertTrue(text.contains("halting at " + point), text);
        assertFalse(text.contains("did not end the process"), "ended by Runtime.halt, not by SIGKILL:\n" + text);
        return new Run(rc, "", text);
    }

    /** A training JVM killed with SIGKILL as soon as a checkpoint file is being written. */
    private Run killedDuringSave(List<String> args) throws Exception {
        Path log = dir.resolve("run-" + ++runs + ".txt");
        Process p = start(null, args, log);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        boolean saving = false;
        while (!saving && p.isAlive() && System.nanoTime() < deadline) {
            try (Stream<Path> s = Files.list(dir)) {
                // SafetensorsWriter's temporary file, or the written one awaiting its rename.
                saving = s.anyMatch(f -> f.getFileName().toString().startsWith(".")
                        && f.getFileName().toString().contains("m.checkpoint.partial"));
            }
            Thread.sleep(1);
        }
        p.destroyForcibly(); // SIGKILL on Unix
        int rc = waitFor(p);
        String text = Files.readString(log);
        System.out.printf("run %d killed while saving: %.1f s, %s%n", runs,
                (System.nanoTime() - deadline) / 1e9 + 300, resumedFrom(text));
        assertTrue(saving, "no checkpoint write was seen before the run ended:\n" + text);
        assertEquals(137, rc, "SIGKILL exit status:\n" + text);
        return new Run(rc, "", text);
    }

    /**
     * After a difference, an uninterrupted run in a fresh JVM, compared with both models: which
     * process trained differently.
     */
    private String thirdOpinion(Path reference, Path resumed) throws Exception {
        Path fresh = dir.resolve("ref-fresh-jvm");
        Path log = dir.resolve("run-" + ++runs + ".txt");
        int rc = waitFor(start(null, args(data, fresh), log));
        if (rc != 0) {
            return "an uninterrupted run in a fresh JVM failed (exit " + rc + ")";
        }
        boolean asReference = weightsMismatch(fresh, reference) == -1;
        boolean asResumed = weightsMismatch(fresh, resumed) == -1;
        return "an uninterrupted run in a fresh JVM " + (asReference && asResumed ? "matches both"
                : asReference ? "matches the in-process reference, so a resumed process differed"
                : asResumed ? "matches the resumed model, so the in-process reference differed"
                : "matches neither");
    }

    /** The first byte at which two models' weights differ, or -1. */
    private static long weightsMismatch(Path a, Path b) throws Exception {
        return Files.mismatch(a.resolve("weights.safetensors"), b.resolve("weights.safetensors"));
    }

    /** Where a run's log says it resumed, for the test's output. */
    private static String resumedFrom(String log) {
        return log.lines().filter(l -> l.contains("resuming from")).findFirst()
                .map(l -> l.substring(l.indexOf("resuming from"))).orElse("started afresh");
    }

    private static int waitFor(Process p) throws InterruptedException {
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("training process did not finish within 5 minutes");
        }
        return p.exitValue();
    }
}
