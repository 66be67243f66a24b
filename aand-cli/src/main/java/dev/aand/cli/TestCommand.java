package dev.aand.cli;

import ai.djl.ndarray.NDManager;
import dev.aand.data.AnomalyDataset;
import dev.aand.data.ImageFiles;
import dev.aand.data.Npy;
import dev.aand.data.Sample;
import dev.aand.infer.Inferencer;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Score a test split with a trained model: metrics.json, scores.csv and an HTML report.")
final class TestCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model directory written by 'aand train'.")
    Path model;

    @Mixin
    DatasetArgs dataset = new DatasetArgs();

    @Option(names = "--out", required = true, description = "Report directory to write.")
    Path out;

    @Option(names = "--save-maps", description = "Also save every raw anomaly map as float32 .npy under maps/.")
    boolean saveMaps;

    @Option(names = "--batch-size", defaultValue = "8") int batchSize;

    @Option(names = "--precision", description = "Inference precision, fp32 or bf16 (CPUs with bfloat16 "
            + "instructions); default: the one stored in the model.")
    String precision;

    @Override
    public Integer call() throws IOException {
        Precision p = precision == null ? null : Precision.parse(precision);
        Main.startEngine();
        AnomalyDataset data = dataset.open(0, 0);
        Evaluation e = run(model, data, out, saveMaps, batchSize, p);
        print(e, out);
        return 0;
    }

    /** Evaluates {@code modelDir} on the test split and writes the report directory. */
    static Evaluation run(Path modelDir, AnomalyDataset data, Path out, boolean saveMaps, int batchSize)
            throws IOException {
        return run(modelDir, data, out, saveMaps, batchSize, null);
    }

    /** @param precision the inference precision, or null for the model's stored one */
    static Evaluation run(Path modelDir, AnomalyDataset data, Path out, boolean saveMaps, int batchSize,
            Precision precision) throws IOException {
        Files.createDirectories(out);
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelStore.Loaded loaded = ModelStore.load(modelDir, manager);
            int size = loaded.model().config().imageSize();
            double threshold = loaded.info().threshold();
            Precision p = precision == null ? loaded.model().config().precision() : precision;
            Inferencer inferencer = new Inferencer(loaded.model(), manager, batchSize, InferenceFormat.of(p));
            List<ReportData.ImageEntry> entries = new ArrayList<>();
            ProgressBar bar = new ProgressBar(System.err);
            Evaluator.ImageSink sink = (s, rgb, map, mask, score) -> {
                entries.add(new ReportData.ImageEntry(display(s), s.defectType(), s.anomalous(), score,
                        threshold, rgb, map, mask, size));
                if (saveMaps) {
                    saveMap(out, s, map, size);
                }
            };
            Evaluation e = new Evaluator(inferencer::score, size, Math.max(batchSize, 8))
                    .evaluate(data, sink, (done, total) -> bar.update("test", done, total, done + "/" + total + " images"));
            Files.writeString(out.resolve("metrics.json"), e.toJson());
            Files.writeString(out.resolve("scores.csv"), e.scoresCsv());
            ReportData report = TestReport.of(data.name(), data.category(), summary(modelDir, loaded), e, entries);
            HtmlReport.write(report, out);
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

    private static void saveMap(Path out, Sample s, float[] map, int size) {
        String stem = ImageFiles.stem(s.image());
        Path dir = out.resolve("maps").resolve(s.defectType());
        try {
            Files.createDirectories(dir);
            Npy.writeFloat32(dir.resolve(stem + ".npy"), new long[] {size, size}, map);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write map for " + s.image() + ": " + ex.getMessage(), ex);
        }
    }
}
