package dev.aand.nn;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aand.engine.OfflineEngine;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConvTranspose2dTest {

    /** Textbook transposed convolution: every input pixel scatters weight[c, o] into its patch. */
    private static float[] reference(float[] x, float[] w, int n, int c, int h, int wd, int o, int k) {
        int oh = h * k;
        int ow = wd * k;
        float[] y = new float[n * o * oh * ow];
        for (int b = 0; b < n; b++)
            for (int ci = 0; ci < c; ci++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < wd; j++) {
                        float v = x[((b * c + ci) * h + i) * wd + j];
                        for (int co = 0; co < o; co++)
                            for (int a = 0; a < k; a++)
                                for (int d = 0; d < k; d++) {
                                    y[((b * o + co) * oh + i * k + a) * ow + j * k + d] +=
                                            v * w[((ci * o + co) * k + a) * k + d];
                                }
                    }
        return y;
    }

    @Test
    void matchesTheDefinitionForKernelTwoAndThree() {
        OfflineEngine.get();
        try (NDManager m = NDManager.newBaseManager()) {
            for (int k : new int[] {2, 3}) {
                int n = 2, c = 3, h = 4, wd = 5, o = 6;
                ConvTranspose2d layer = new ConvTranspose2d(new InitContext(m, k), c, o, k, k);
                SplittableRandom r = new SplittableRandom(11);
                float[] x = new float[n * c * h * wd];
                for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
                NDArray y = layer.forward(m.create(x, new Shape(n, c, h, wd)));
                assertEquals(new Shape(n, o, h * k, wd * k), y.getShape());
                float[] w = layer.parameters().get("weight").toFloatArray();
                float[] expected = reference(x, w, n, c, h, wd, o, k);
                float[] got = y.toFloatArray();
                for (int i = 0; i < got.length; i++) {
                    assertEquals(expected[i], got[i], 1e-5f, "k=" + k + " element " + i);
                }
            }
        }
    }

    @Test
    void rejectsOverlappingKernels() {
        OfflineEngine.get();
        try (NDManager m = NDManager.newBaseManager()) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> new ConvTranspose2d(new InitContext(m, 1), 4, 4, 3, 2));
            assertTrue(e.getMessage().contains("kernel 3 stride 2"), e.getMessage());
        }
    }
}
