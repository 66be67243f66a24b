package dev.aand.testing;

import dev.aand.config.AandConfig;
import dev.aand.data.AnomalyDataset;
import dev.aand.data.DatasetOptions;
import dev.aand.data.Datasets;
import dev.aand.train.TrainingListener;
import dev.aand.train.TrainingRun;
import java.nio.file.Path;
import java.util.Map;

/** A real but tiny trained model for tests that need one: {@link TinyCookie} photos, 32 px, 1 + 1 epochs. */
public final class TinyModel {
    private TinyModel() {}

    /**
     * The cookie sample under {@code root/data}: 6 training photos (a third held back to set the
     * threshold) and {@code good} + {@code cracked} test photos.
     */
    public static AnomalyDataset cookie(Path root, int good, int cracked) {
        return Datasets.open("mvtec", DatasetOptions.of(TinyCookie.create(root.resolve("data"), 6, good, cracked), "cookie")
                .withValidation(0.34, 0));
    }

    /** Trains AAND on {@code data} into {@code out} (seconds on a CPU); the seed picks the weights. */
    public static Path train(AnomalyDataset data, Path out, long seed) {
        AandConfig c = AandConfig.defaults().with(Map.of("imageSize", 32, "batchSize", 4, "stage1Epochs", 1,
                "stage2Epochs", 1, "synthesisThreads", 1, "seed", seed));
        TrainingRun.run(c, data, out, TrainingListener.NONE);
        return out;
    }
}
