package dev.aand.cli;

import ai.djl.ndarray.NDManager;
import dev.aand.data.AnomalyDataset;
import dev.aand.data.Npy;
import dev.aand.data.Sample;
import dev.aand.infer.Inferencer;
import dev.aand.io.OutputDir;
import dev.aand.io.OutputKind;
import dev.aand.io.UniqueNames;
import dev.aand.metrics.Evaluation;
import dev.aand.metrics.Evaluator;
import dev.aand.model.ModelStore;
import dev.aand.nn.InferenceFormat;
import dev.aand.nn.Precision;
import dev.aand.report.HtmlReport;
import dev.aand.report.ReportData;
import dev.aand.report.TestReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Score a test split with a trained model: metrics.json, scores.csv and an HTML report.")
public final class TestCommand implements Callable<Integer> {
    @Mixin
    LoadArgs load = new LoadArgs();

    @Mixin
    DatasetArgs dataset = new DatasetArgs();

    @Mixin
    OutputArgs output = new OutputArgs();

    @Option(names = "--save-maps", description = "Also save every raw anomaly map as float32 .npy under maps/.")
    boolean saveMaps;

    @Option(names = "--batch-size", defaultValue = "8") int batchSize;

    @Spec
    CommandSpec spec;

    /** How a test run writes its report. */
    /** @param precision the inference precision, or null for the model's stored one */
    public record Settings(boolean force, boolean saveMaps, int batchSize, ModelStore.LoadOptions load,
            Precision precision) {}

    @Override
    public Integer call() throws IOException {
        OptionChecks.batchSize(spec, batchSize);
        load.check(spec);
        Evaluation e = run(load.model, () -> {
            Main.startEngine();
            return dataset.open(0, 0);
        }, output.out, new Settings(output.force, saveMaps, batchSize, load.options(), load.precision()));
        print(e, output.out);
        return 0;
    }

    /**
     * Evaluates {@code modelDir} on the test split and writes the report directory. The report is
     * staged and swapped in whole ({@link OutputDir}): a failure leaves the earlier report intact.
     * Also used by aand-spark.
     */
    public static Evaluation run(Path modelDir, Supplier<AnomalyDataset> dataset, Path out, Settings settings)
            throws IOException {
        try (OutputDir dir = OutputDir.open(out, OutputKind.REPORT, settings.force());
                NDManager manager = NDManager.newBaseManager()) {
            AnomalyDataset data = dataset.get();
            Path stage = dir.staging();
            ModelStore.Loaded loaded = ModelStore.load(modelDir, manager, settings.load());
            int size = loaded.model().config().imageSize();
            double threshold = loaded.info().threshold();
            int batchSize = settings.batchSize();
            Precision precision = settings.precision() == null ? loaded.model().config().precision()
                    : settings.precision();
            Inferencer inferencer = new Inferencer(loaded.model(), manager, batchSize, InferenceFormat.of(precision));
            List<ReportData.ImageEntry> entries = new ArrayList<>();
            ProgressBar bar = new ProgressBar(System.err);
            UniqueNames mapNames = new UniqueNames();
            Evaluator.ImageSink sink = (s, rgb, map, mask, score) -> {
                entries.add(new ReportData.ImageEntry(display(s), s.defectType(), s.anomalous(), score,
                        threshold, rgb, map, mask, size));
                if (settings.saveMaps()) {
                    saveMap(stage, mapNames, s, map, size);
                }
            };
            Evaluation e = new Evaluator(inferencer::score, size, Math.max(batchSize, 8),
                    loaded.model().config().preprocessing())
                    .evaluate(data, sink, (done, total) -> bar.update("test", done, total, done + "/" + total + " images"));
            Files.writeString(stage.resolve("metrics.json"), e.toJson());
            Files.writeString(stage.resolve("scores.csv"), e.scoresCsv());
            ReportData report = TestReport.of(data.name(), data.category(), summary(modelDir, loaded), e, entries);
            HtmlReport.write(report, stage);
            dir.commit();
            if (!e.withoutMask().isEmpty()) {
                System.err.println("note: " + e.withoutMask().size()
                        + " anomalous images have no ground-truth mask; pixel metrics skip them");
            }
            return e;
        }
    }

    static void print(Evaluation e, Path out) {
        Evaluation.Summary s = e.overall();
        System.out.printf(Locale.ROOT, "image AUROC %.4f   pixel AUROC %.4f   AUPRO@0.3 %.4f   (F1-max %.4f, %d images, %d anomalous)%n",
                s.imageAuroc(), s.pixelAuroc(), s.pixelAupro(), s.imageF1Max(), s.nImages(), s.nAnomalous());
        System.out.println("report: " + out.toAbsolutePath().resolve("index.html"));
    }

    private static Map<String, String> summary(Path modelDir, ModelStore.Loaded m) {
        var c = m.model().config();
        Map<String, String> out = new LinkedHashMap<>();
        out.put("model", modelDir.toString());
        out.put("backbone", c.backbone());
        out.put("method", c.method().id());
        out.put("image size", Integer.toString(c.imageSize()));
        out.put("preprocessing", c.preprocessing().id());
        out.put("precision", c.precision().id());
        out.put("epochs", c.stage1Epochs() + " + " + c.stage2Epochs());
        out.put("seed", Long.toString(c.seed()));
        out.put("decision threshold", String.format(Locale.ROOT, "%.5f (%s)", m.info().threshold(), m.info().thresholdSource()));
        return out;
    }

    private static String display(Sample s) {
        Path p = s.image();
        Path parent = p.getParent();
        Path grand = parent == null ? null : parent.getParent();
        return grand == null ? p.toString() : grand.relativize(p).toString();
    }

    /**
     * Saves a raw map as {@code maps/<defect>/<image file name>.npy}: the image's extension stays
     * in the name, so {@code 000.jpg} and {@code 000.png} never share a map file, and any
     * remaining clash gets a numbered name.
     */
    private static void saveMap(Path out, UniqueNames names, Sample s, float[] map, int size) {
        String defect = s.defectType().replaceAll("[/\\\\]", "_").replaceAll("^\\.+", "_");
        String name = names.claim("maps/" + defect + "/" + s.image().getFileName() + ".npy");
        Path file = out.resolve(name);
        try {
            Files.createDirectories(file.getParent());
            Npy.writeFloat32(file, new long[] {size, size}, map);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write map for " + s.image() + ": " + ex.getMessage(), ex);
        }
    }
}
