package dev.aand.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.aand.model.AandModel;
import dev.aand.model.AmplifiedFeature;
import dev.aand.model.Method;
import java.util.List;

/**
 * Scores images with a trained model in batches on the engine: teacher, RAA, student, anomaly
 * map, image score. Nothing per pixel happens in Java.
 */
public final class Inferencer {
    private final AandModel model;
    private final NDManager manager;
    private final AnomalyMapGenerator maps;
    private final int size;
    private final int batchSize;

    public Inferencer(AandModel model, NDManager manager, int batchSize) {
        if (batchSize < 1) {
            // A zero batch would never advance through the images.
            throw new IllegalArgumentException("batch size must be >= 1: " + batchSize);
        }
        this.model = model;
        this.manager = manager;
        this.size = model.config().imageSize();
        this.maps = new AnomalyMapGenerator(size, model.config().blurSigma());
        this.batchSize = batchSize;
        model.train(false);
    }

    /**
     * Result of scoring.
     *
     * @param maps per image its S*S anomaly map, row-major
     * @param scores per image the map's maximum
     */
    public record Result(float[][] maps, double[] scores) {}

    /** @param images CHW RGB float[3*S*S] in [0,255] at the model's image size */
    public Result score(List<float[]> images) {
        int n = images.size();
        float[][] out = new float[n][];
        double[] scores = new double[n];
        int pixels = size * size;
        for (int from = 0; from < n; from += batchSize) {
            int count = Math.min(batchSize, n - from);
            float[] batch = new float[count * 3 * pixels];
            for (int i = 0; i < count; i++) {
                float[] img = images.get(from + i);
                if (img.length != 3 * pixels) {
                    throw new IllegalArgumentException("image " + (from + i) + " is not 3x" + size + "x" + size);
                }
                System.arraycopy(img, 0, batch, i * 3 * pixels, 3 * pixels);
            }
            try (NDScope scope = new NDScope()) {
                NDArray x = manager.create(batch, new Shape(count, 3, size, size));
                NDArray m = mapsOf(x);
                float[] flat = m.toFloatArray();
                float[] s = AnomalyMapGenerator.scores(m).toFloatArray();
                for (int i = 0; i < count; i++) {
                    out[from + i] = java.util.Arrays.copyOfRange(flat, i * pixels, (i + 1) * pixels);
                    scores[from + i] = s[i];
                }
            }
        }
        return new Result(out, scores);
    }

    /** Anomaly maps [N, S, S] of a batch of RGB images in [0,255]. */
    public NDArray mapsOf(NDArray rgb255) {
        List<AmplifiedFeature> advanced = model.advance(model.teacherFeatures(rgb255));
        if (model.method().mapSource() == Method.MapSource.GATE) {
            NDList weights = new NDList();
            advanced.forEach(a -> weights.add(a.anomalyWeight()));
            return maps.combine(weights);
        }
        NDList teacher = AandModel.advancedList(advanced);
        return maps.fromDiscrepancy(teacher, model.reconstruct(advanced));
    }
}
