package dev.aand.cli;

import dev.aand.config.AandConfig;
import dev.aand.data.AnomalyDataset;
import dev.aand.engine.ProcessMemory;
import dev.aand.nn.Precision;
import dev.aand.train.EpochLog;
import dev.aand.train.TrainingRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an AAND model on the normal training images of one category.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DatasetArgs dataset = new DatasetArgs();

    @Option(names = "--out", required = true, description = "Model directory to write.")
    Path out;

    @Mixin
    HyperParameters hp = new HyperParameters();

    @Override
    public Integer call() {
        AandConfig config = hp.toConfig();
        Main.startEngine();
        AnomalyDataset data = dataset.open(config.validationFraction(), config.seed());
        return train(config, data, out);
    }

    static int train(AandConfig config, AnomalyDataset data, Path out) {
        long t0 = System.nanoTime();
        try (TrainingProgress progress = new TrainingProgress(System.err, out.resolveSibling(out.getFileName() + ".log"))) {
            progress.onMessage(String.format("training %s/%s: %d normal images (%d held back for the threshold)",
                    data.name(), data.category(), data.train().size(), data.validation().size()));
            TrainingRun.Outcome o = TrainingRun.run(config, data, out, progress);
            summarise("stage1", o.stage1(), progress);
            summarise("stage2", o.stage2(), progress);
            progress.onMessage(String.format(Locale.ROOT, "done in %.1f s; peak resident memory %.0f MiB (%s malloc)",
                    (System.nanoTime() - t0) / 1e9, ProcessMemory.mib(ProcessMemory.peakRss()), ProcessMemory.allocator()));
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

    /** Every tunable hyper-parameter that the command line exposes; the rest keep the defaults. */
    static final class HyperParameters {
        @Mixin
        ModelArgs model = new ModelArgs();

        @Option(names = "--batch-size", defaultValue = "16") int batchSize;
        @Option(names = "--stage1-epochs", defaultValue = "100") int stage1Epochs;
        @Option(names = "--stage2-epochs", defaultValue = "120") int stage2Epochs;
        @Option(names = "--lr", defaultValue = "0.005") double lr;

        @Option(names = "--textures", description = "Folder of texture images for synthetic anomalies (default: shipped CC0 set).")
        Path textures;

        @Option(names = "--foreground", defaultValue = "auto",
                description = "Foreground rule: auto (built-in table), whole, above:T, below:T, disc, rect.")
        String foreground;

        @Option(names = "--validation", defaultValue = "0",
                description = "Fraction of train/good held back to set the decision threshold (default: ${DEFAULT-VALUE}).")
        double validation;

        @Option(names = "--seed", defaultValue = "0") long seed;

        @Option(names = "--threads", defaultValue = "2", description = "Threads synthesising anomalies beside the engine.")
        int threads;

        @Option(names = "--precision", defaultValue = "fp32", description = "Inference precision stored with the "
                + "model (and used for its decision threshold): fp32, or bf16 on CPUs with bfloat16 instructions.")
        String precision;

        AandConfig toConfig() {
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
