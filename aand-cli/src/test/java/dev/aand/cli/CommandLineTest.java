package dev.aand.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.aand.config.AandConfig;
import dev.aand.model.Method;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Options reach the configuration record; help lists every command. */
class CommandLineTest {
    @Test
    void trainOptionsBecomeTheConfiguration() {
        AandConfig c = parsedTrain("--backbone", "resnet18", "--method", "rd+hkd", "--image-size", "128",
                "--stage1-epochs", "3", "--stage2-epochs", "4", "--validation", "0.1", "--seed", "9");
        assertEquals("resnet18", c.backbone());
        assertEquals(Method.RD_HKD, c.method());
        assertEquals(128, c.imageSize());
        assertEquals(3, c.stage1Epochs());
        assertEquals(4, c.stage2Epochs());
        assertEquals(0.1, c.validationFraction());
        assertEquals(9L, c.seed());
        assertEquals(16, c.batchSize(), "unset options keep the paper's defaults");
    }

    @Test
    void everyUnsetTrainOptionTakesTheConfigurationRecordsDefault() {
        assertEquals(AandConfig.defaults(), parsedTrain());
    }

    /** The configuration {@code aand train} would use, with the required options and {@code args}. */
    private static AandConfig parsedTrain(String... args) {
        CommandLine cl = Main.commandLine();
        List<String> all = new ArrayList<>(List.of("train", "--dataset", "mvtec",
                "--root", "/data", "--category", "bottle", "--out", "m"));
        all.addAll(List.of(args));
        CommandLine.ParseResult r = cl.parseArgs(all.toArray(String[]::new));
        TrainCommand train = (TrainCommand) r.subcommand().commandSpec().userObject();
        return train.hp.toConfig();
    }

    @Test
    void helpListsTheCommandsAndABadMethodIsNamed() {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--help"));
        for (String c : new String[] {"demo", "train", "test", "predict", "bench", "serve"}) {
            assertTrue(out.toString().contains(c), c + " in help");
        }
        StringWriter err = new StringWriter();
        CommandLine cl2 = Main.commandLine();
        cl2.setErr(new PrintWriter(err));
        assertEquals(1, cl2.execute("bench", "--method", "patchcore"));
        assertTrue(err.toString().contains("unknown method 'patchcore'"), err.toString());
    }

    /** Out-of-range numbers: exit code 2 and one line naming the option and its range. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "predict --model m --out o x.png --batch-size 0 | --batch-size must be between 1 and 1024 (got 0)",
        "predict --model m --out o x.png --batch-size -2 | --batch-size must be between 1 and 1024 (got -2)",
        "predict --model m --out o x.png --threshold NaN | --threshold must be a finite number (got NaN)",
        "test --model m --out o --batch-size 0 | --batch-size must be between 1 and 1024 (got 0)",
        "bench --iterations 0 | --iterations must be between 1 and 100000 (got 0)",
        "bench --iterations -1 | --iterations must be between 1 and 100000 (got -1)",
        "bench --batch-size 0 | --batch-size must be between 1 and 1024 (got 0)",
        "train --out m --stage1-epochs 0 --stage2-epochs 0 | --stage2-epochs must be between 1 and 100000 (got 0)",
        "train --out m --method gate-score --stage1-epochs 0 | --stage1-epochs must be between 1 and 100000 (got 0)",
        "train --out m --image-size 8192 | --image-size must be a multiple of 32 between 32 and 1024 (got 8192); sizes above 1024 need --allow-large",
        "train --out m --image-size 100000 --allow-large | --image-size must be a multiple of 32 between 32 and 8192 (got 100000)",
        "train --out m --image-size 100 | --image-size must be a multiple of 32 between 32 and 1024 (got 100)",
        "train --out m --lr Infinity | --lr must be a finite number (got Infinity)",
        "train --out m --validation 1 | --validation must be at least 0 and below 1 (got 1.0)",
        "demo --stage2-epochs 0 | --stage2-epochs must be between 1 and 100000 (got 0)",
        "train --out m --precision fp16 | --precision: unknown precision 'fp16'; valid: fp32, bf16",
        "test --model m --out o --precision fp16 | --precision: unknown precision 'fp16'; valid: fp32, bf16",
        "predict --model m --out o x.png --precision half | --precision: unknown precision 'half'; valid: fp32, bf16",
        "serve --models m --lanes two | Invalid value for option '--lanes': 'two' is neither auto nor a whole number",
    })
    void outOfRangeOptionsGetOneLineNamingTheRange(String args, String message) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute(args.trim().split(" ")));
        String[] lines = err.toString().strip().split("\\R");
        assertEquals(1, lines.length, err.toString());
        assertTrue(lines[0].startsWith("error: " + message.trim()), lines[0]);
    }

    @Command(name = "oom")
    static final class OutOfMemory implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Test
    void outOfMemoryEndsAsOneLineNotAStackTrace() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.addSubcommand("oom", new OutOfMemory());
        cl.setErr(new PrintWriter(err, true));
        assertEquals(1, cl.execute("oom"));
        String[] lines = err.toString().strip().split("\\R");
        assertEquals(1, lines.length, err.toString());
        assertTrue(lines[0].startsWith("error: out of memory (Java heap space)"), lines[0]);
    }

    @Test
    void aStackTraceIsPrintedOnlyWhenAandDebugIsSet() throws Exception {
        String quiet = inFreshJvm(false, "bench", "--batch-size", "0");
        assertEquals(1, quiet.strip().lines().count(), quiet);
        assertTrue(quiet.startsWith("error: --batch-size must be between 1 and 1024 (got 0)"), quiet);
        String debug = inFreshJvm(true, "bench", "--batch-size", "0");
        assertTrue(debug.startsWith(quiet.strip()), debug);
        assertTrue(debug.contains("ParameterException") && debug.contains("\tat picocli.CommandLine"), debug);
    }

    /** The command in a new JVM (environment variables cannot change in this one); its stderr. */
    private static String inFreshJvm(boolean debug, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("AAND_DEBUG");
        if (debug) {
            pb.environment().put("AAND_DEBUG", "1");
        }
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the command did not end");
        assertEquals(2, p.exitValue(), err);
        return err;
    }

    /** Runs the command line with System.out captured; returns {exit code, stdout, stderr}. */
    private static Object[] run(String... args) {
        java.io.PrintStream saved = System.out;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err));
            int code = cl.execute(args);
            return new Object[] {code, bytes.toString(java.nio.charset.StandardCharsets.UTF_8), err.toString()};
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void benchReportsLatencyMemoryAndTheStageProfile() {
        Object[] r = run("bench", "--image-size", "64", "--batch-size", "2", "--warmup", "0", "--iterations", "2",
                "--profile", "--compare-unprepared");
        assertEquals(0, r[0], (String) r[2]);
        var json = com.google.gson.JsonParser.parseString((String) r[1]).getAsJsonObject();
        var latency = json.getAsJsonObject("latency_ms");
        assertTrue(latency.get("median").getAsDouble() > 0);
        // Two runs: nearest-rank p90 and p99 are both the slower one, the maximum.
        assertEquals(latency.get("max").getAsDouble(), latency.get("p99").getAsDouble());
        assertEquals(latency.get("max").getAsDouble(), latency.get("p90").getAsDouble());
        assertTrue(json.get("peak_rss_mib").getAsDouble() > 100, "libtorch alone takes more than 100 MiB");
        var profile = json.getAsJsonObject("profile");
        for (String stage : new String[] {"teacher", "raa", "bottleneck", "decoder", "map", "total"}) {
            assertTrue(profile.getAsJsonObject(stage).get("wall_ms").getAsDouble() >= 0, stage);
        }
        assertTrue(json.getAsJsonObject("interleaved_reference").get("speedup").getAsDouble() > 0);
        assertEquals("fp32", json.get("precision").getAsString());
    }

    @Test
    void benchTimesBothTrainingStages() {
        Object[] r = run("bench", "--train", "--image-size", "64", "--batch-size", "2", "--warmup", "0",
                "--iterations", "1");
        assertEquals(0, r[0], (String) r[2]);
        var json = com.google.gson.JsonParser.parseString((String) r[1]).getAsJsonObject();
        for (String stage : new String[] {"stage1", "stage2"}) {
            var s = json.getAsJsonObject(stage);
            assertTrue(s.get("step_ms_median").getAsDouble() > 0, stage);
            assertTrue(s.getAsJsonObject("phases").has("backward"), stage);
            assertTrue(s.get("peak_rss_mib").getAsDouble() > 100, stage);
        }
    }

    @Test
    void aBadPrecisionIsNamed() {
        Object[] r = run("bench", "--precision", "fp16");
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("unknown precision 'fp16'; valid: fp32, bf16"), (String) r[2]);
        CommandLine cl = Main.commandLine();
        cl.parseArgs("train", "--dataset", "mvtec", "--root", "/data", "--category", "bottle", "--out", "m",
                "--precision", "bf16");
        TrainCommand train = cl.getSubcommands().get("train").getCommand();
        assertEquals(dev.aand.nn.Precision.BF16, train.hp.toConfig().precision(), "train stores the precision");
    }
}
