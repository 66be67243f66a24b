package dev.aand.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.aand.engine.StageClock;
import dev.aand.model.AandModel;
import dev.aand.model.AmplifiedFeature;
import dev.aand.model.Method;
import dev.aand.nn.InferenceFormat;
import dev.aand.nn.Precision;
import dev.aand.nn.Temporaries;
import java.util.List;

/**
 * Scores images with a trained model in batches on the engine: teacher, RAA, student, anomaly
 * map, image score. Nothing per pixel happens in Java.
 *
 * <p>Construction prepares the model for inference (BatchNorm folded into the convolutions,
 * weights in the chosen precision, channels-last activations); the stored weights are untouched.
 * Autograd is off while scoring, on any thread. The networks may run in bfloat16; the maps and
 * scores are always float32.
 */
public final class Inferencer {
    private final AandModel model;
    private final NDManager manager;
    private final AnomalyMapGenerator maps;
    private final InferenceFormat format;
    private final int size;
    private final int batchSize;

    /** A float32 inferencer. */
    public Inferencer(AandModel model, NDManager manager, int batchSize) {
        this(model, manager, batchSize, InferenceFormat.of(Precision.FP32));
    }

    /**
     * @throws IllegalArgumentException when the format's precision cannot run on the manager's device
     */
    public Inferencer(AandModel model, NDManager manager, int batchSize, InferenceFormat format) {
        this(model, manager, batchSize, java.util.Objects.requireNonNull(format, "format"), Setup.PREPARE);
    }

    /**
     * The unprepared reference path: float32, BatchNorm applied as stored, NCHW activations (what
     * inference was before BatchNorm folding and channels-last), for comparisons and benchmarks.
     */
    public static Inferencer unprepared(AandModel model, NDManager manager, int batchSize) {
        return new Inferencer(model, manager, batchSize, null, Setup.AS_STORED);
    }

    private enum Setup { PREPARE, AS_STORED }

    private Inferencer(AandModel model, NDManager manager, int batchSize, InferenceFormat format, Setup setup) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.model = model;
        this.manager = manager;
        this.size = model.config().imageSize();
        this.maps = new AnomalyMapGenerator(size, model.config().blurSigma());
        this.batchSize = batchSize;
        this.format = format;
        if (setup == Setup.PREPARE) {
            format.precision().requireSupported(manager.getDevice());
            model.prepareInference(format);
        } else {
            model.dropInference();
            model.train(false);
        }
    }

    public AandModel model() {
        return model;
    }

    /** The format the model was prepared in, or null for {@link #unprepared}. */
    public InferenceFormat format() {
        return format;
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

    /**
     * Anomaly maps [N, S, S] (float32) of a batch of float32 RGB images in [0,255], [N, 3, S, S].
     * Every intermediate tensor is freed before this returns.
     */
    public NDArray mapsOf(NDArray rgb255) {
        return mapsOf(rgb255, StageClock.NONE);
    }

    /**
     * As {@link #mapsOf(NDArray)}, telling {@code clock} where the stages end: teacher, raa,
     * bottleneck, decoder, map (CPU ops are synchronous, so each lap covers its stage's work).
     */
    public NDArray mapsOf(NDArray rgb255, StageClock clock) {
        try (NoGrad g = NoGrad.enter()) {
            return Temporaries.keep(() -> {
                NDList features = model.teacherFeatures(rgb255);
                clock.lap("teacher");
                List<AmplifiedFeature> advanced = model.advance(features);
                clock.lap("raa");
                NDArray out;
                if (model.method().mapSource() == Method.MapSource.GATE) {
                    NDList weights = new NDList();
                    advanced.forEach(a -> weights.add(a.anomalyWeight()));
                    out = maps.combine(weights);
                } else {
                    NDList teacher = AandModel.advancedList(advanced);
                    NDArray embedding = model.student().bottleneck().forward(teacher);
                    clock.lap("bottleneck");
                    NDList student = model.student().decoder().forward(embedding);
                    clock.lap("decoder");
                    out = maps.fromDiscrepancy(float32(teacher), float32(student));
                }
                clock.lap("map");
                return out;
            });
        }
    }

    private NDList float32(NDList levels) {
        NDList out = new NDList(levels.size());
        levels.forEach(l -> out.add(format == null ? l : format.toFloat32(l)));
        return out;
    }
}
