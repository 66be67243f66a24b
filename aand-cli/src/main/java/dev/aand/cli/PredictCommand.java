package dev.aand.cli;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;
import dev.aand.api.Aand;
import dev.aand.api.AnomalyMap;
import dev.aand.api.AnomalyResult;
import dev.aand.data.ImageFiles;
import dev.aand.data.ImageLoader;
import dev.aand.data.Preprocessing;
import dev.aand.io.OutputDir;
import dev.aand.io.OutputKind;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Score new images: per image a score, a decision, a heatmap overlay and a binary mask; predictions.csv.")
final class PredictCommand implements Callable<Integer> {
    @Mixin
    LoadArgs load = new LoadArgs();
    @Mixin
    OutputArgs output = new OutputArgs();
    @Option(names = "--threshold", description = "Decision threshold; default: the one stored in the model.")
    Double threshold;
    @Option(names = "--batch-size", defaultValue = "8") int batchSize;
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Image files or folders of images.")
    List<Path> inputs;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OptionChecks.batchSize(spec, batchSize);
        load.check(spec);
        if (threshold != null) {
            OptionChecks.finite(spec, "--threshold", threshold);
        }
        List<Path> files = collect(inputs);
        int failed = 0;
        try (OutputDir dir = OutputDir.open(output.out, OutputKind.PREDICTIONS, output.force)) {
            Main.startEngine();
            Path stage = dir.staging();
            // Scored through the library's DJL Predictor, so these numbers are the API's by construction.
            try (ZooModel<Image, AnomalyResult> zoo = load.criteria(threshold).loadModel();
                    Predictor<Image, AnomalyResult> predictor = zoo.newPredictor()) {
                ModelStore.ModelInfo info = ModelStore.info(load.model);
                Preprocessing preprocessing = Preprocessing.parse(zoo.getProperty(Aand.PREPROCESSING));
                StringBuilder csv = new StringBuilder("path,score,threshold,anomalous,overlay,mask,error\n");
                ProgressBar bar = new ProgressBar(System.err);
                for (int from = 0; from < files.size(); from += batchSize) {
                    List<Path> part = files.subList(from, Math.min(files.size(), from + batchSize));
                    String[] rows = new String[part.size()];
                    List<Integer> ok = new ArrayList<>();
                    List<ImageLoader.Decoded> photos = new ArrayList<>();
                    List<Image> images = new ArrayList<>();
                    for (int i = 0; i < part.size(); i++) {
                        Path p = part.get(i);
                        try {
                            BufferedImage picture = preprocessing.decode(p);
                            photos.add(ImageLoader.fromImage(picture));
                            images.add(ImageFactory.getInstance().fromImage(picture));
                            ok.add(i);
                        } catch (RuntimeException | OutOfMemoryError e) {
                            // One bad file is that file's problem, never the end of the run.
                            failed++;
                            String why = e instanceof OutOfMemoryError ? "out of memory decoding " + p : Main.message(e);
                            System.err.println("skipped: " + why);
                            rows[i] = Csv.field(p.toString()) + ",,,,,," + Csv.field(why) + "\n";
                        }
                    }
                    List<AnomalyResult> results = images.isEmpty() ? List.of() : predictor.batchPredict(images);
                    for (int j = 0; j < ok.size(); j++) {
                        int i = ok.get(j);
                        Path p = part.get(i);
                        AnomalyResult r = results.get(j);
                        ImageLoader.Decoded d = photos.get(j);
                        String stem = uniqueStem(p, from + i);
                        float[] range = info.heatmapRange(r.threshold());
                        AnomalyMap m = r.mapAtInput();
                        BufferedImage overlay = Heatmaps.overlay(d.rgb(), d.width(), d.height(), m.values(), range[0],
                                range[1]);
                        BufferedImage mask = Heatmaps.mask(r.mask().values(), m.width(), m.height());
                        String overlayFile = stem + "_overlay.png";
                        String maskFile = stem + "_mask.png";
                        Png.write(overlay, stage.resolve(overlayFile));
                        Png.write(mask, stage.resolve(maskFile));
                        rows[i] = Csv.field(p.toString()) + ',' + r.score() + ',' + r.threshold() + ','
                                + (r.anomalous() ? 1 : 0) + ',' + overlayFile + ',' + maskFile + ",\n";
                        System.out.printf(Locale.ROOT, "%-9s %.5f  %s%n", r.anomalous() ? "ANOMALY" : "ok", r.score(), p);
                    }
                    for (String row : rows) {
                        csv.append(row);
                    }
                    bar.update("predict", Math.min(files.size(), from + batchSize), files.size(), "");
                }
                Files.writeString(stage.resolve("predictions.csv"), csv.toString());
            }
            dir.commit();
        }
        System.err.println("predictions: " + output.out.toAbsolutePath().resolve("predictions.csv"));
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
