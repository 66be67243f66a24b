package dev.aand.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aand.engine.OfflineEngine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the weight layout with the network's own BatchNorm statistics: with the right layout,
 * the per-channel mean and variance of each BN's input on real photos track the running_mean and
 * running_var stored with the weights. A wrong layout (kernels flipped, channels mixed) produces
 * activations those statistics no longer describe.
 */
class MobileNetV1LayoutTest {
    private static final int IMAGES = 4;
    private static final int SIZE = 160;

    @BeforeAll
    static void engine() {
        OfflineEngine.get();
    }

    /** Pearson correlation between batch and running statistics, per BN layer: {mean, var}. */
    private static Map<String, double[]> correlations(MobileNetV1 net, NDArray batch) {
        Map<String, NDArray> sd = net.stateDict();
        Map<String, double[]> out = new LinkedHashMap<>();
        net.run(net.normalize(batch), (bn, c) -> {
            long channels = c.getShape().get(1);
            try (NDArray perChannel = c.transpose(1, 0, 2, 3).reshape(channels, -1);
                    NDArray mean = perChannel.mean(new int[] {1}, true);
                    NDArray centred = perChannel.sub(mean);
                    NDArray sq = centred.square();
                    NDArray var = sq.mean(new int[] {1})) {
                out.put(bn, new double[] {
                    pearson(mean.toFloatArray(), sd.get(bn + ".running_mean").toFloatArray()),
                    pearson(var.toFloatArray(), sd.get(bn + ".running_var").toFloatArray())
                });
            }
        });
        return out;
    }

    @Test
    void runningStatisticsMatchBatchStatisticsOnlyForTheRightLayout() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray batch = TestImages.cookies(m, IMAGES, SIZE);
            MobileNetV1 good = MobileNetV1.pretrained(m);
            Map<String, double[]> right = correlations(good, batch);
            assertEquals(23, right.size(), "conv1 + 11 depthwise + 11 pointwise BNs");

            MobileNetV1 flipped = MobileNetV1.pretrained(m);
            mutate(flipped, "conv_dw_", MobileNetV1LayoutTest::transposeKernels);
            Map<String, double[]> wrongDw = correlations(flipped, batch);

            MobileNetV1 mixed = MobileNetV1.pretrained(m);
            mutate(mixed, "conv_pw_", MobileNetV1LayoutTest::transposeSquarePointwise);
            Map<String, double[]> wrongPw = correlations(mixed, batch);

            StringBuilder table = new StringBuilder("corr(mean)/corr(var): layer, right layout,"
                    + " depthwise transposed, pointwise transposed\n");
            right.forEach((k, v) -> table.append(String.format("%-14s %.3f/%.3f  %.3f/%.3f  %.3f/%.3f%n",
                    k, v[0], v[1], wrongDw.get(k)[0], wrongDw.get(k)[1], wrongPw.get(k)[0], wrongPw.get(k)[1])));
            table.append(String.format("average        %.3f/%.3f  %.3f/%.3f  %.3f/%.3f%n", average(right, 0),
                    average(right, 1), average(wrongDw, 0), average(wrongDw, 1), average(wrongPw, 0),
                    average(wrongPw, 1)));
            System.out.print(table);

            // Per-channel means are the sharp signal: every layer tracks its running_mean.
            long meanOk = right.values().stream().filter(v -> v[0] > 0.8).count();
            assertTrue(meanOk >= 20, meanOk + " of 23 layers have mean correlation > 0.8\n" + table);
            // Variances on 4 cookie photos follow ImageNet's less closely, but clearly positively.
            long varOk = right.values().stream().filter(v -> v[1] > 0.5).count();
            assertTrue(varOk >= 20, varOk + " of 23 layers have variance correlation > 0.5\n" + table);

            // Mixed-up pointwise channels destroy the correspondence from conv_pw_1 on.
            assertTrue(average(wrongPw, 0) < average(right, 0) - 0.4, "transposed pointwise\n" + table);
            assertTrue(average(wrongPw, 1) < average(right, 1) - 0.4, "transposed pointwise\n" + table);
            // A spatially transposed 3x3 kernel keeps its sum, hence the channel means; only the
            // variances notice it, and only a little on these near-isotropic photos. The exact
            // layout check is MobileNetV1WeightsTest against the original TF.js kernels.
            assertTrue(average(wrongDw, 1) < average(right, 1), "transposed depthwise\n" + table);
        }
    }

    private static double average(Map<String, double[]> c, int which) {
        return c.values().stream().mapToDouble(v -> v[which]).average().orElseThrow();
    }

    private static void mutate(MobileNetV1 net, String prefix, UnaryOperator<NDArray> f) {
        for (Map.Entry<String, NDArray> e : net.stateDict().entrySet()) {
            String k = e.getKey();
            if (k.startsWith(prefix) && k.endsWith(".weight") && !k.contains("_bn")) {
                try (NDArray changed = f.apply(e.getValue())) {
                    net.load(k, changed.toFloatArray());
                }
            }
        }
    }

    /** [C,1,3,3] with the two spatial axes swapped (a HWIO/OIHW mix-up). */
    private static NDArray transposeKernels(NDArray w) {
        return w.transpose(0, 1, 3, 2);
    }

    /** [O,I,1,1] read as [I,O,1,1] where the shape allows it (in == out). */
    private static NDArray transposeSquarePointwise(NDArray w) {
        long o = w.getShape().get(0);
        long i = w.getShape().get(1);
        return o == i ? w.transpose(1, 0, 2, 3) : w.reshape(i, o, 1, 1).transpose(1, 0, 2, 3);
    }

    private static double pearson(float[] a, float[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
