package dev.aand.cli;

import dev.aand.config.AandConfig;
import dev.aand.data.AnomalyDataset;
import dev.aand.data.CookieSample;
import dev.aand.data.Datasets;
import dev.aand.data.DatasetOptions;
import dev.aand.metrics.Evaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train AAND on the shipped cookie sample with the embedded MobileNet v1 teacher, test it and write the report.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "runs/demo", description = "Working folder (default: ${DEFAULT-VALUE}).")
    Path out;

    // Sized to finish in under 10 minutes on 2 CPU cores, build included; the paper's 256 px.
    @Option(names = "--image-size", defaultValue = "256") int imageSize;
    @Option(names = "--stage1-epochs", defaultValue = "15") int stage1Epochs;
    @Option(names = "--stage2-epochs", defaultValue = "30") int stage2Epochs;
    @Option(names = "--validation", defaultValue = "0.2",
            description = "Share of the good training photos held back to set the decision threshold.")
    double validation;
    @Option(names = "--seed", defaultValue = "0") long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        OptionChecks.imageSize(spec, imageSize, false);
        OptionChecks.range(spec, "--stage1-epochs", stage1Epochs, 0, TrainCommand.MAX_EPOCHS);
        OptionChecks.range(spec, "--stage2-epochs", stage2Epochs, 1, TrainCommand.MAX_EPOCHS);
        OptionChecks.fraction(spec, "--validation", validation);
        long t0 = System.nanoTime();
        Path data = CookieSample.extract(out.resolve("data"));
        System.err.println("demo data (CC BY-SA 4.0, see " + data.resolve("cookie/ATTRIBUTION.txt") + "): " + data);
        Main.startEngine();
        AnomalyDataset dataset = Datasets.open("mvtec", DatasetOptions.of(data, "cookie").withValidation(validation, seed));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("imageSize", imageSize);
        o.put("stage1Epochs", stage1Epochs);
        o.put("stage2Epochs", stage2Epochs);
        o.put("seed", seed);
        o.put("validationFraction", validation);
        AandConfig config = AandConfig.defaults().with(o);
        Path model = out.resolve("model");
        // The demo's folders are its own: a rerun replaces its earlier model and report (and
        // only those, OutputDir refuses anything else).
        TrainCommand.train(config, () -> dataset, model, true, false);
        Path report = out.resolve("report");
        Evaluation e = TestCommand.run(model, () -> dataset, report,
                new TestCommand.Settings(true, false, 8, LoadArgs.options(false), null));
        System.out.printf(Locale.ROOT, "demo finished in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        TestCommand.print(e, report);
        return 0;
    }
}
