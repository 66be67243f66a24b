package dev.aand.nn;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aand.engine.TensorFormats;
import dev.aand.testing.Engines;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * BatchNorm folded into the layer before it gives the unfolded pair's output to float32
 * rounding (relative 1e-5 of the output's scale), in NCHW and channels-last, for plain,
 * grouped, biased and transposed convolutions; the stored tensors stay as they were.
 */
class BatchNormFoldingTest {
    /** conv -> BN with non-trivial running statistics and affine parameters. */
    private static final class Pair extends Module {
        private final ConvLayer conv;
        private final BatchNorm2d bn;

        Pair(InitContext ctx, ConvLayer conv, float eps) {
            this.conv = child("conv", conv);
            this.bn = child("bn", new BatchNorm2d(ctx, conv, eps));
        }

        NDArray forward(NDArray x) {
            return bn.forward(conv.forward(x));
        }
    }

    private static Pair pair(InitContext ctx, ConvLayer conv, float eps) {
        Pair p = new Pair(ctx, conv, eps);
        int c = (int) conv.outChannels();
        float[] mean = new float[c];
        float[] var = new float[c];
        float[] gamma = new float[c];
        float[] beta = new float[c];
        for (int i = 0; i < c; i++) {
            mean[i] = 0.3f * (i % 5) - 0.5f;
            var[i] = 0.05f + 0.7f * (i % 3);
            gamma[i] = (i % 2 == 0 ? 1 : -1) * (0.5f + 0.25f * (i % 4));
            beta[i] = 0.1f * i - 0.2f;
        }
        p.load("bn.running_mean", mean);
        p.load("bn.running_var", var);
        p.load("bn.weight", gamma);
        p.load("bn.bias", beta);
        p.train(false);
        return p;
    }

    private static void check(String what, Pair p, NDArray x) {
        Map<String, float[]> before = snapshot(p);
        float[] unfolded = p.forward(x).toFloatArray();
        for (boolean channelsLast : new boolean[] {false, true}) {
            InferenceFormat f = new InferenceFormat(Precision.FP32, channelsLast);
            p.prepareInference(f);
            NDArray y = p.forward(f.input(x));
            if (channelsLast && y.getShape().dimension() == 4) {
                assertTrue(TensorFormats.isChannelsLast(y), what + ": channels-last in, channels-last out");
            }
            float[] folded = y.toFloatArray();
            double scale = 0;
            for (float v : unfolded) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 0.1, what + ": a meaningful output");
            for (int i = 0; i < unfolded.length; i++) {
                assertEquals(unfolded[i], folded[i], 1e-5 * scale,
                        what + (channelsLast ? " channels-last" : " NCHW") + " at " + i);
            }
        }
        p.dropInference();
        assertArrayEquals(unfolded, p.forward(x).toFloatArray(), 0f, what + ": dropping restores the stored path");
        snapshot(p).forEach((k, v) -> assertArrayEquals(before.get(k), v, 0f, what + ": " + k + " unchanged"));
    }

    private static Map<String, float[]> snapshot(Module m) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> {
            if (v.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32) {
                out.put(k, v.toFloatArray());
            }
        });
        return out;
    }

    @Test
    void foldedLayersMatchTheUnfoldedPairs() {
        try (NDManager m = Engines.manager()) {
            InitContext ctx = new InitContext(m, 11);
            NDArray x = ctx.normal(new Shape(2, 8, 6, 6), 1.0);
            Function<ConvLayer, Pair> p = c -> pair(ctx, c, 1e-5f);
            check("3x3 conv", p.apply(new Conv2d(ctx, 8, 12, 3, 1, 1, 1, false, Conv2d.Init.KAIMING_FAN_OUT)), x);
            check("strided 1x1 conv", p.apply(new Conv2d(ctx, 8, 12, 1, 2, 0, 1, false, Conv2d.Init.KAIMING_FAN_OUT)), x);
            check("depthwise conv, eps 1e-3", pair(ctx,
                    new Conv2d(ctx, 8, 8, 3, 2, 1, 8, false, Conv2d.Init.KAIMING_FAN_OUT), 1e-3f), x);
            check("conv with bias", p.apply(new Conv2d(ctx, 8, 12, 1, 1, 0, 1, true, Conv2d.Init.TORCH_DEFAULT)), x);
            check("transposed conv", p.apply(new ConvTranspose2d(ctx, 8, 6, 2, 2)), x);
        }
    }

    @Test
    void theFoldingFormula() {
        // One output channel of a 2-tap layer with bias: BN(w.x + b) = (w*s).x + (b - mean)*s + beta.
        BatchNormFolding.Statistics bn = new BatchNormFolding.Statistics(new float[] {2f}, new float[] {0.5f},
                new float[] {1f}, new float[] {3f}, 1f);
        float[][] f = BatchNormFolding.fold(new float[] {1f, -2f}, new float[] {4f}, 1, 2, bn);
        assertArrayEquals(new float[] {1f, -2f}, f[0], 0f); // s = 2 / sqrt(3 + 1) = 1
        assertArrayEquals(new float[] {3.5f}, f[1], 0f); // (4 - 1) * 1 + 0.5
        assertThrows(IllegalArgumentException.class,
                () -> BatchNormFolding.fold(new float[] {1f, 2f, 3f}, null, 2, 1, bn));
    }
}
