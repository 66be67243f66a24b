package dev.aand.cli;

import ai.djl.ndarray.NDManager;
import dev.aand.io.OutputDir;
import dev.aand.io.OutputKind;
import dev.aand.model.ModelStore;
import dev.aand.model.official.OfficialImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "import-official", mixinStandardHelpOptions = true,
        description = "Turn checkpoints trained by the official AAND code (train.py) into an aand model directory"
                + " for test, predict and the Java API.")
final class ImportOfficialCommand implements Callable<Integer> {
    @Option(names = "--stage1", required = true, paramLabel = "S1.pth",
            description = "Stage-1 checkpoint: {'encoder_AT': state_dict} (checkpoints_Stage1/wres50_<class>.pth).")
    Path stage1;

    @Option(names = "--stage2", required = true, paramLabel = "S2.pth",
            description = "Stage-2 checkpoint: {'bn': ..., 'decoder_ss': ...} (checkpoints_Stage2/wres50_<class>.pth).")
    Path stage2;

    @Mixin
    OutputArgs output = new OutputArgs();

    @ArgGroup(exclusive = true, multiplicity = "1")
    ThresholdSource threshold;

    static final class ThresholdSource {
        @Option(names = "--normal-dir", paramLabel = "DIR",
                description = "Held-out good images: the decision threshold is the configured high quantile of their scores,"
                        + " as training's validation threshold.")
        Path normalDir;

        @Option(names = "--threshold", paramLabel = "X", description = "Decision threshold to store as given.")
        Double value;
    }

    @Option(names = "--batch-size", defaultValue = "8") int batchSize;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        OptionChecks.batchSize(spec, batchSize);
        if (threshold.value != null) {
            OptionChecks.finite(spec, "--threshold", threshold.value);
        }
        for (Path p : new Path[] {stage1, stage2}) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("checkpoint not found: " + p
                        + (Files.isDirectory(p) ? " (it is a directory)" : ""));
            }
        }
        OfficialImport.Threshold t = threshold.normalDir != null
                ? OfficialImport.Threshold.fromNormalImages(threshold.normalDir)
                : OfficialImport.Threshold.of(threshold.value);
        // Claimed before any work: a folder aand did not write is refused, an earlier model needs --force.
        try (OutputDir claim = OutputDir.open(output.out, OutputKind.MODEL, output.force)) {
            Main.startEngine();
            try (NDManager manager = NDManager.newBaseManager()) {
                ModelStore.ModelInfo info = OfficialImport.run(stage1, stage2, output.out, t, batchSize, manager);
                System.out.printf(Locale.ROOT, "decision threshold %.5f (%s)%n", info.threshold(), info.thresholdSource());
            }
        }
        System.out.println("model: " + output.out.toAbsolutePath());
        return 0;
    }
}
