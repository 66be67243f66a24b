package dev.aand.cli;

import ai.djl.ndarray.NDManager;
import dev.aand.data.DataException;
import dev.aand.data.ImageFiles;
import dev.aand.data.ImageLoader;
import dev.aand.infer.Inferencer;
import dev.aand.metrics.Csv;
import dev.aand.model.ModelStore;
import dev.aand.report.Heatmaps;
import dev.aand.report.Png;
import java.awt.image.BufferedImage;
import java.io.IOException;
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
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Image files or folders of images.")
    List<Path> inputs;

    @Override
    public Integer call() throws IOException {
        Main.startEngine();
        List<Path> files = collect(inputs);
        Files.createDirectories(out);
        int failed = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelStore.Loaded loaded = ModelStore.load(model, manager);
            int size = loaded.model().config().imageSize();
            double t = threshold != null ? threshold : loaded.info().threshold();
            Inferencer inf = new Inferencer(loaded.model(), manager, batchSize);
            StringBuilder csv = new StringBuilder("path,score,threshold,anomalous,overlay,mask,error\n");
            ProgressBar bar = new ProgressBar(System.err);
            for (int from = 0; from < files.size(); from += batchSize) {
                List<Path> part = files.subList(from, Math.min(files.size(), from + batchSize));
                List<Path> ok = new ArrayList<>();
                List<float[]> images = new ArrayList<>();
                for (Path p : part) {
                    try {
                        images.add(loaded.model().config().preprocessing().load(p, size));
                        ok.add(p);
                    } catch (DataException e) {
                        failed++;
                        System.err.println("skipped: " + e.getMessage());
                        csv.append(Csv.field(p.toString())).append(",,,,,,").append(Csv.field(e.getMessage())).append('\n');
                    }
                }
                Inferencer.Result r = inf.score(images);
                for (int i = 0; i < ok.size(); i++) {
                    Path p = ok.get(i);
                    String stem = uniqueStem(p, from + i);
                    int[] wh = ImageLoader.dimensions(p);
                    float[] map = r.maps()[i];
                    float[] range = loaded.info().heatmapRange(t);
                    BufferedImage overlay = Heatmaps.scale(Heatmaps.overlay(images.get(i), map, size, range[0], range[1]),
                            wh[0], wh[1]);
                    BufferedImage mask = Heatmaps.scale(Heatmaps.binaryMask(map, (float) t, size), wh[0], wh[1]);
                    Path overlayFile = out.resolve(stem + "_overlay.png");
                    Path maskFile = out.resolve(stem + "_mask.png");
                    Png.write(overlay, overlayFile);
                    Png.write(mask, maskFile);
                    boolean anomalous = r.scores()[i] >= t;
                    csv.append(Csv.field(p.toString())).append(',').append(r.scores()[i]).append(',').append(t).append(',')
                            .append(anomalous ? 1 : 0).append(',').append(overlayFile.getFileName()).append(',')
                            .append(maskFile.getFileName()).append(",\n");
                    System.out.printf(Locale.ROOT, "%-9s %.5f  %s%n", anomalous ? "ANOMALY" : "ok", r.scores()[i], p);
                }
                bar.update("predict", Math.min(files.size(), from + batchSize), files.size(), "");
            }
            Files.writeString(out.resolve("predictions.csv"), csv.toString());
        }
        System.err.println("predictions: " + out.toAbsolutePath().resolve("predictions.csv"));
        return failed == 0 ? 0 : 2;
    }

    /** Files as given, folders expanded to their images (sorted); an empty result is an error. */
    static List<Path> collect(List<Path> inputs) throws IOException {
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
