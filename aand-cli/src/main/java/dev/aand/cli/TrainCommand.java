package dev.aand.cli;

import dev.aand.config.AandConfig;
import dev.aand.data.AnomalyDataset;
import dev.aand.engine.ProcessMemory;
import dev.aand.io.OutputDir;
import dev.aand.io.OutputKind;
import dev.aand.model.Method;
import dev.aand.nn.Precision;
import dev.aand.train.EpochLog;
import dev.aand.train.TrainingRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an AAND model on the normal training images of one category.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    DatasetArgs dataset = new DatasetArgs();

    @Mixin
    OutputArgs output = new OutputArgs();

    @Option(names = "--resume", description = "Continue an interrupted run from the checkpoint beside --out"
            + " (same options and data; the model is identical to an uninterrupted run's).")
    boolean resume;

    @Mixin
    HyperParameters hp = new HyperParameters();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        hp.check(spec);
        AandConfig config = hp.toConfig();
        return train(config, () -> {
            Main.startEngine();
            return dataset.open(config.validationFraction(), config.seed());
        }, output.out, output.force, resume);
    }

    /**
     * Trains into {@code out}, appending the story to {@code OUT.log}. The output folder is claimed
     * (checked and locked) before anything else, so a refused --out costs nothing and creates
     * nothing, and no second run can write the same model meanwhile. With {@code resume} the
     * checkpoint beside {@code out} is continued; a model that run already wrote may be replaced. Also used by aand-spark.
     */
    public static int train(AandConfig config, Supplier<AnomalyDataset> dataset, Path out, boolean force, boolean resume) {
        long t0 = System.nanoTime();
        try (OutputDir claim = OutputDir.open(out, OutputKind.MODEL, force || resume);
                TrainingProgress progress = new TrainingProgress(System.err,
                        claim.target().resolveSibling(claim.target().getFileName() + ".log"))) {
            progress.runHeader("train", out, config.toJson());
            try {
                AnomalyDataset data = dataset.get();
                progress.onMessage(String.format("training %s/%s: %d normal images (%d held back for the threshold)",
                        data.name(), data.category(), data.train().size(), data.validation().size()));
                TrainingRun.Outcome o = TrainingRun.run(config, data, out, progress, resume);
                summarise("stage1", o.stage1(), progress);
                summarise("stage2", o.stage2(), progress);
                progress.onMessage(String.format(Locale.ROOT, "done in %.1f s; peak resident memory %.0f MiB (%s malloc)",
                        (System.nanoTime() - t0) / 1e9, ProcessMemory.mib(ProcessMemory.peakRss()),
                        ProcessMemory.allocator()));
                progress.runFinished("model written to " + claim.target());
            } catch (RuntimeException | Error e) {
                progress.runFailed(e);
                throw e;
            }
        }
        return 0;
    }

    private static void summarise(String stage, java.util.List<EpochLog> logs, TrainingProgress p) {
        if (logs.isEmpty()) {
            return;
        }
        double secs = logs.stream().mapToDouble(EpochLog::seconds).sum();
        p.onMessage(String.format(Locale.ROOT, "%s: %d epochs, %.2f s/epoch, first %s, last %s", stage, logs.size(),
                secs / logs.size(), ProgressBar.terms(logs.get(0).losses()),
                ProgressBar.terms(logs.get(logs.size() - 1).losses())));
    }

    static final int MAX_EPOCHS = 100_000;

    /** Every tunable hyper-parameter that the command line exposes; the rest keep the defaults. */
    public static final class HyperParameters {
        @Mixin
        ModelArgs model = new ModelArgs();

        @ConfigDefaults.Key("batchSize")
        @Option(names = "--batch-size", description = "Images per step (default: ${DEFAULT-VALUE}).") int batchSize;
        @ConfigDefaults.Key("stage1Epochs")
        @Option(names = "--stage1-epochs", description = "Stage-1 epochs (default: ${DEFAULT-VALUE}).") int stage1Epochs;
        @ConfigDefaults.Key("stage2Epochs")
        @Option(names = "--stage2-epochs",
                description = "Stage-2 epochs, at least 1 for methods with a student (default: ${DEFAULT-VALUE}).")
        int stage2Epochs;
        @ConfigDefaults.Key("learningRate")
        @Option(names = "--lr", description = "Adam learning rate, both stages (default: ${DEFAULT-VALUE}).") double lr;

        @Option(names = "--textures", description = "Folder of texture images for synthetic anomalies (default: shipped CC0 set).")
        Path textures;

        @ConfigDefaults.Key("foreground")
        @Option(names = "--foreground",
                description = "Foreground rule: auto (built-in table), whole, above:T, below:T, disc, rect.")
        String foreground;

        @ConfigDefaults.Key("validationFraction")
        @Option(names = "--validation",
                description = "Fraction of train/good held back to set the decision threshold (default: ${DEFAULT-VALUE}).")
        double validation;

        @ConfigDefaults.Key("seed")
        @Option(names = "--seed", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).") long seed;

        @ConfigDefaults.Key("synthesisThreads")
        @Option(names = "--threads", description = "Threads synthesising anomalies beside the engine (default: ${DEFAULT-VALUE}).")
        int threads;

        @ConfigDefaults.Key("precision")
        @Option(names = "--precision", description = "Inference precision stored with the model (and used for its "
                + "decision threshold): fp32, or bf16 on CPUs with bfloat16 instructions (default: ${DEFAULT-VALUE}).")
        String precision;

        /** Refuses out-of-range values with one line naming the option and its range. */
        public void check(CommandSpec spec) {
            model.check(spec);
            OptionChecks.batchSize(spec, batchSize);
            OptionChecks.range(spec, "--stage1-epochs", stage1Epochs, 0, MAX_EPOCHS);
            boolean student = Method.parse(model.method).usesStudent();
            // An untrained model would still get a threshold and report success.
            OptionChecks.range(spec, "--stage2-epochs", stage2Epochs, student ? 1 : 0, MAX_EPOCHS);
            if (!student) {
                OptionChecks.range(spec, "--stage1-epochs", stage1Epochs, 1, MAX_EPOCHS);
            }
            OptionChecks.finite(spec, "--lr", lr);
            if (!(lr > 0 && lr <= 1)) {
                throw new ParameterException(spec.commandLine(), "--lr must be above 0 and at most 1 (got " + lr + ")");
            }
            OptionChecks.fraction(spec, "--validation", validation);
            OptionChecks.range(spec, "--threads", threads, 1, 256);
            OptionChecks.precision(spec, precision);
        }

        public AandConfig toConfig() {
            Map<String, Object> o = new LinkedHashMap<>();
            model.putInto(o);
            o.put("batchSize", batchSize);
            o.put("stage1Epochs", stage1Epochs);
            o.put("stage2Epochs", stage2Epochs);
            o.put("learningRate", lr);
            o.put("textures", textures == null ? null : textures.toAbsolutePath().toString());
            o.put("foreground", foreground);
            o.put("validationFraction", validation);
            o.put("seed", seed);
            o.put("synthesisThreads", threads);
            o.put("precision", Precision.parse(precision));
            return AandConfig.defaults().with(o);
        }
    }
}
