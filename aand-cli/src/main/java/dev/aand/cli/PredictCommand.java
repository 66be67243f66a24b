package dev.aand.cli;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import dev.aand.api.Aand;
import dev.aand.api.AnomalyMap;
import dev.aand.api.AnomalyResult;
import dev.aand.data.DataException;
import dev.aand.data.ImageFiles;
import dev.aand.data.ImageLoader;
import dev.aand.metrics.Csv;
import dev.aand.model.ModelStore;
import dev.aand.nn.Precision;
import dev.aand.report.Heatmaps;
import dev.aand.report.Png;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Score new images: per image a score, a decision, a heatmap overlay and a binary mask; predictions.csv.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true) Path model;
    @Option(names = "--out", required = true) Path out;
    @Option(names = "--threshold", description = "Decision threshold; default: the one stored in the model.")
    Double threshold;
    @Option(names = "--batch-size", defaultValue = "8") int batchSize;
    @Option(names = "--precision", description = "Inference precision, fp32 or bf16 (CPUs with bfloat16 "
            + "instructions); default: the one stored in the model.")
    String precision;
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Image files or folders of images.")
    List<Path> inputs;

    @Override
    public Integer call() throws Exception {
        Main.startEngine();
        List<Path> files = collect(inputs);
        Files.createDirectories(out);
        int failed = 0;
        Criteria.Builder<Image, AnomalyResult> criteria = Aand.builder(model);
        if (threshold != null) {
            criteria.optArgument(Aand.THRESHOLD, threshold);
        }
        if (precision != null) {
            criteria.optArgument(Aand.PRECISION, Precision.parse(precision).id());
        }
        // Scored through the library's DJL Predictor, so these numbers are the API's by construction.
        try (ZooModel<Image, AnomalyResult> zoo = criteria.build().loadModel();
                Predictor<Image, AnomalyResult> predictor = zoo.newPredictor()) {
            ModelStore.ModelInfo info = ModelStore.info(model);
            StringBuilder csv = new StringBuilder("path,score,threshold,anomalous,overlay,mask,error\n");
            ProgressBar bar = new ProgressBar(System.err);
            for (int from = 0; from < files.size(); from += batchSize) {
                List<Path> part = files.subList(from, Math.min(files.size(), from + batchSize));
                List<Path> ok = new ArrayList<>();
                List<ImageLoader.Decoded> photos = new ArrayList<>();
                List<Image> images = new ArrayList<>();
                for (Path p : part) {
                    try {
                        BufferedImage picture = ImageLoader.decode(p);
                        images.add(ImageFactory.getInstance().fromImage(picture));
                        photos.add(ImageLoader.fromImage(picture));
                        ok.add(p);
                    } catch (DataException e) {
                        failed++;
                        System.err.println("skipped: " + e.getMessage());
                        csv.append(Csv.field(p.toString())).append(",,,,,,").append(Csv.field(e.getMessage())).append('\n');
                    }
                }
                List<AnomalyResult> results = images.isEmpty() ? List.of() : predictor.batchPredict(images);
                for (int i = 0; i < ok.size(); i++) {
                    Path p = ok.get(i);
                    AnomalyResult r = results.get(i);
                    ImageLoader.Decoded d = photos.get(i);
                    String stem = uniqueStem(p, from + i);
                    float[] range = info.heatmapRange(r.threshold());
                    AnomalyMap m = r.mapAtInput();
                    BufferedImage overlay = Heatmaps.overlay(d.rgb(), d.width(), d.height(), m.values(), range[0], range[1]);
                    BufferedImage mask = Heatmaps.mask(r.mask().values(), m.width(), m.height());
                    Path overlayFile = out.resolve(stem + "_overlay.png");
                    Path maskFile = out.resolve(stem + "_mask.png");
                    Png.write(overlay, overlayFile);
                    Png.write(mask, maskFile);
                    csv.append(Csv.field(p.toString())).append(',').append(r.score()).append(',').append(r.threshold())
                            .append(',').append(r.anomalous() ? 1 : 0).append(',').append(overlayFile.getFileName())
                            .append(',').append(maskFile.getFileName()).append(",\n");
                    System.out.printf(Locale.ROOT, "%-9s %.5f  %s%n", r.anomalous() ? "ANOMALY" : "ok", r.score(), p);
                }
                bar.update("predict", Math.min(files.size(), from + batchSize), files.size(), "");
            }
            Files.writeString(out.resolve("predictions.csv"), csv.toString());
        }
        System.err.println("predictions: " + out.toAbsolutePath().resolve("predictions.csv"));
        return failed == 0 ? 0 : 2;
    }

    /** Files as given, folders expanded to their images (sorted); an empty result is an error. */
    static List<Path> collect(List<Path> inputs) throws java.io.IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                files.addAll(ImageFiles.list(p));
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new IllegalArgumentException("no such file or folder: " + p);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no images found in " + inputs);
        }
        return files;
    }

    private static String uniqueStem(Path p, int index) {
        return String.format(Locale.ROOT, "%04d_%s", index, ImageFiles.stem(p));
    }
}
