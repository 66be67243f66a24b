package dev.aand.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.aand.model.AandModel;
import dev.aand.model.ResidualAnomalyAmplifier;
import dev.aand.synth.AnomalySynthesizer;
import dev.aand.synth.Synthetic;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How well the trained stage-1 gates find synthetic anomalies: per level, precision and recall of
 * {@code w > 0.5} against the pooled ground truth, on fresh samples the training never saw.
 *
 * @param precision per level
 * @param recall per level
 * @param samples synthetic images evaluated
 */
public record GateQuality(double[] precision, double[] recall, int samples) {

    public static GateQuality measure(AandModel model, AnomalySynthesizer synthesizer, List<float[]> images,
            List<float[]> foregrounds, int samples, long seed, double labelThreshold, NDManager manager) {
        List<ResidualAnomalyAmplifier> raa = model.amplifiers();
        int levels = raa.size();
        long[] tp = new long[levels];
        long[] fp = new long[levels];
        long[] fn = new long[levels];
        int s = synthesizer.size();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < samples; i++) {
            int k = rng.nextInt(images.size());
            Synthetic syn = synthesizer.sample(images.get(k), foregrounds.get(k), rng.split());
            try (NDScope scope = new NDScope()) {
                NDArray x = manager.create(syn.image(), new Shape(1, 3, s, s));
                NDArray mask = manager.create(syn.mask(), new Shape(1, 1, s, s));
                NDList features = model.teacherFeatures(x);
                for (int l = 0; l < levels; l++) {
                    NDArray f = features.get(l);
                    boolean[] y = LevelMasks.toBooleans(LevelMasks.pool(mask, f.getShape().get(2), labelThreshold));
                    long[] c = confusion(raa.get(l).anomalyWeight(f).toFloatArray(), y);
                    tp[l] += c[0];
                    fp[l] += c[1];
                    fn[l] += c[2];
                }
            }
        }
        double[] precision = new double[levels];
        double[] recall = new double[levels];
        for (int l = 0; l < levels; l++) {
            precision[l] = tp[l] + fp[l] == 0 ? Double.NaN : (double) tp[l] / (tp[l] + fp[l]);
            recall[l] = tp[l] + fn[l] == 0 ? Double.NaN : (double) tp[l] / (tp[l] + fn[l]);
        }
        return new GateQuality(precision, recall, samples);
    }

    /** {true positives, false positives, false negatives} of the decision w > 0.5 against labels y. */
    static long[] confusion(float[] w, boolean[] y) {
        long[] c = new long[3];
        for (int p = 0; p < w.length; p++) {
            boolean pred = w[p] > 0.5f;
            if (pred && y[p]) {
                c[0]++;
            } else if (pred) {
                c[1]++;
            } else if (y[p]) {
                c[2]++;
            }
        }
        return c;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("gate on " + samples + " synthetic images:");
        for (int l = 0; l < precision.length; l++) {
            sb.append(String.format(" level%d P=%.3f R=%.3f", l + 1, precision[l], recall[l]));
        }
        return sb.toString();
    }
}
