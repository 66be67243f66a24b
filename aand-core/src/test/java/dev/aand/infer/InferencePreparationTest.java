package dev.aand.infer;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.aand.backbone.Backbones;
import dev.aand.config.AandConfig;
import dev.aand.engine.CpuFeatures;
import dev.aand.model.AandModel;
import dev.aand.nn.InferenceFormat;
import dev.aand.nn.InitContext;
import dev.aand.nn.Precision;
import dev.aand.testing.Engines;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The prepared inference path (BatchNorm folded, fused oneDNN kernels, channels-last, optionally
 * bfloat16) against the unprepared one on whole models: fp32 maps agree to float32 rounding
 * (1e-4 of the map's range), bf16 maps to bfloat16 rounding (2% of the range), and preparing
 * never touches the stored weights.
 */
class InferencePreparationTest {
    private static final int SIZE = 64;

    private static AandModel model(NDManager m, String backbone, String method) {
        AandConfig c = AandConfig.defaults().with(Map.of("backbone", backbone, "method", method, "imageSize", SIZE));
        AandModel net = new AandModel(Backbones.create(backbone, null, m, 3), c, new InitContext(m, 5));
        // Non-trivial BatchNorm statistics in the student, as a trained one has.
        SplittableRandom r = new SplittableRandom(9);
        net.stateDict().forEach((k, v) -> {
            if (k.endsWith("running_var") || k.endsWith("running_mean") || k.endsWith(".bn1.weight")) {
                float[] vals = new float[(int) v.size()];
                for (int i = 0; i < vals.length; i++) {
                    vals[i] = (float) (k.endsWith("running_mean") ? r.nextGaussian() * 0.3 : 0.5 + r.nextDouble());
                }
                net.load(k, vals);
            }
        });
        return net;
    }

    private static NDArray batch(NDManager m, int n) {
        float[] d = new float[n * 3 * SIZE * SIZE];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (r.nextDouble() * 255);
        }
        return m.create(d, new Shape(n, 3, SIZE, SIZE));
    }

    private static float[] maps(Inferencer inf, NDArray x) {
        try (NDScope scope = new NDScope()) {
            return inf.mapsOf(x).toFloatArray();
        }
    }

    private static void assertClose(float[] expected, float[] actual, double fractionOfRange, String what) {
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (float v : expected) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double tol = fractionOfRange * (hi - lo);
        assertTrue(hi - lo > 1e-3, what + ": the maps vary");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, what + " at " + i);
        }
    }

    @Test
    void preparedFloat32MatchesTheUnpreparedPath() {
        for (String[] bm : new String[][] {{"mobilenet_v1", "aand"}, {"resnet18", "aand"}, {"mobilenet_v1", "gate-score"}}) {
            try (NDManager m = Engines.manager()) {
                AandModel net = model(m, bm[0], bm[1]);
                Map<String, float[]> stored = new LinkedHashMap<>();
                net.stateDict().forEach((k, v) -> stored.put(k, v.toType(ai.djl.ndarray.types.DataType.FLOAT32,
                        false).toFloatArray()));
                NDArray x = batch(m, 2);
                float[] reference = maps(Inferencer.unprepared(net, m, 2), x);
                for (boolean channelsLast : new boolean[] {false, true}) {
                    Inferencer prepared = new Inferencer(net, m, 2, new InferenceFormat(Precision.FP32, channelsLast));
                    assertClose(reference, maps(prepared, x), 1e-4, bm[0] + "/" + bm[1] + " cl=" + channelsLast);
                }
                net.stateDict().forEach((k, v) -> assertArrayEquals(stored.get(k),
                        v.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(), 0f, k + " untouched"));
                // Training mode drops the inference copies; the unprepared path is back, bit for bit.
                net.train(true);
                net.train(false);
                assertArrayEquals(reference, maps(Inferencer.unprepared(net, m, 2), x), 0f);
            }
        }
    }

    @Test
    void bfloat16MapsFollowTheFloat32Ones() {
        try (NDManager m = Engines.manager()) {
            if (!CpuFeatures.hasBfloat16(CpuFeatures.flags())) {
                // Without bfloat16 instructions bf16 would be emulated, many times slower: refused.
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Precision.BF16.requireSupported(m.getDevice()));
                assertTrue(e.getMessage().contains("bfloat16"), e.getMessage());
                return;
            }
            AandModel net = model(m, "mobilenet_v1", "aand");
            NDArray x = batch(m, 2);
            float[] fp32 = maps(new Inferencer(net, m, 2, InferenceFormat.of(Precision.FP32)), x);
            float[] bf16 = maps(new Inferencer(net, m, 2, InferenceFormat.of(Precision.BF16)), x);
            assertClose(fp32, bf16, 0.02, "bf16");
            assertFalse(java.util.Arrays.equals(fp32, bf16), "bf16 really ran in bfloat16");
        }
    }

    @Test
    void batchSizeDoesNotChangeAnImagesMap() {
        try (NDManager m = Engines.manager()) {
            AandModel net = model(m, "mobilenet_v1", "aand");
            NDArray x = batch(m, 3);
            Inferencer inf = new Inferencer(net, m, 3, InferenceFormat.of(Precision.FP32));
            float[] all = maps(inf, x);
            float[] second = maps(inf, x.get("1:2"));
            float[] expected = java.util.Arrays.copyOfRange(all, SIZE * SIZE, 2 * SIZE * SIZE);
            assertClose(expected, second, 1e-4, "image 2 alone vs in a batch of 3");
        }
    }
}
