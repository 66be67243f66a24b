package dev.aand.serve;

import dev.aand.config.AandConfig;
import dev.aand.data.AnomalyDataset;
import dev.aand.data.DatasetOptions;
import dev.aand.data.Datasets;
import dev.aand.data.Sample;
import dev.aand.testing.TinyCookie;
import dev.aand.train.TrainingListener;
import dev.aand.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Two tiny cookie models (32 px, 1 + 1 epochs, seeds 0 and 1: different weights) trained once per
 * test JVM, and the cookie test photos to score.
 */
final class TinyModels {
    private static Path root;
    private static Path a;
    private static Path b;
    private static List<Path> images;

    private TinyModels() {}

    static synchronized void train() {
        if (root != null) {
            return;
        }
        try {
            root = Files.createTempDirectory("aand-serve-test-");
            root.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AnomalyDataset data = Datasets.open("mvtec",
                DatasetOptions.of(TinyCookie.create(root.resolve("data"), 6, 3, 3), "cookie").withValidation(0.34, 0));
        AandConfig c = AandConfig.defaults().with(Map.of("imageSize", 32, "batchSize", 4, "stage1Epochs", 1,
                "stage2Epochs", 1, "synthesisThreads", 1));
        a = root.resolve("trained/a");
        b = root.resolve("trained/b");
        TrainingRun.run(c, data, a, TrainingListener.NONE);
        TrainingRun.run(c.with("seed", 1L), data, b, TrainingListener.NONE);
        images = data.test().stream().map(Sample::image).toList();
    }

    /** Model trained with seed 0. */
    static Path a() {
        train();
        return a;
    }

    /** Model trained with seed 1. */
    static Path b() {
        train();
        return b;
    }

    /** The cookie test photos (JPEG, 6 of them: 3 good, 3 cracked). */
    static List<Path> images() {
        train();
        return images;
    }

    /** Copies a model folder to {@code target} (a fresh folder). */
    static Path copy(Path model, Path target) {
        try {
            Files.createDirectories(target);
            try (Stream<Path> s = Files.list(model)) {
                for (Path f : s.toList()) {
                    Files.copy(f, target.resolve(f.getFileName()));
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
