package dev.aand.infer;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aand.data.Npy;
import dev.aand.testing.Engines;
import dev.aand.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BilinearUpsamplerTest {
    private static NDManager manager;
    private final BilinearUpsampler up = new BilinearUpsampler();

    @BeforeAll
    static void start() {
        manager = Engines.manager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static NDArray nd(Npy.Array a) {
        return manager.create(a.data(), new Shape(a.shape()));
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private void check(String input, String expected, int oh, int ow, boolean align) {
        Npy.Array in = Fixtures.npy("03_interpolate/" + input);
        Npy.Array ref = Fixtures.npy("03_interpolate/" + expected);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(in.data(), new Shape(in.shape()));
            NDArray y = up.resize(x, oh, ow, align);
            assertArrayEquals(ref.shape(), y.getShape().getShape());
            double d = maxAbsDiff(y.toFloatArray(), ref.data());
            assertTrue(d <= 1e-6, expected + ": max abs diff " + d);
        }
    }

    @Test
    void matchesTorchAlignCornersTrue() {
        check("a_input_2x3x5x7.npy", "a_out_2x3x11x13_align_true.npy", 11, 13, true);
    }

    @Test
    void matchesTorchAlignCornersFalse() {
        check("a_input_2x3x5x7.npy", "a_out_2x3x11x13_align_false.npy", 11, 13, false);
    }

    @Test
    void matchesTorchLargeUpsample() {
        check("b_input_1x1x16x16.npy", "b_out_1x1x256x256_align_true.npy", 256, 256, true);
    }

    @Test
    void weightRowsSumToOneAndAreCached() {
        for (boolean align : new boolean[] {true, false}) {
            float[] w = BilinearUpsampler.weights(5, 11, align);
            for (int i = 0; i < 11; i++) {
                double s = 0;
                for (int j = 0; j < 5; j++) {
                    s += w[i * 5 + j];
                }
                assertEquals(1.0, s, 1e-6);
            }
            assertSame(w, BilinearUpsampler.weights(5, 11, align));
        }
    }

    @Test
    void downsamplingWithoutAlignPicksTorchNeighbours() {
        // 4 -> 2 without align_corners samples at 0.5 and 2.5: plain averages of pixel pairs.
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(new float[] {0, 1, 2, 3}, new Shape(1, 1, 1, 4));
            float[] y = up.resize(x, 1, 2, false).toFloatArray();
            assertArrayEquals(new float[] {0.5f, 2.5f}, y, 1e-7f);
        }
    }

    @Test
    void freesTemporariesAndKeepsResultInCallerManager() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.ones(new Shape(1, 1, 3, 3));
            int before = m.getManagedArrays().size();
            NDArray y = up.resize(x, 6, 6, false);
            assertSame(m, y.getManager());
            assertEquals(before + 1, m.getManagedArrays().size());
            assertEquals(36f, y.sum().getFloat(), 1e-4f);
        }
    }

    @Test
    void rejectsBadArguments() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.ones(new Shape(4));
            assertThrows(IllegalArgumentException.class, () -> up.resize(x, 2, 2, true));
            NDArray y = m.ones(new Shape(2, 2));
            assertThrows(IllegalArgumentException.class, () -> up.resize(y, 0, 2, true));
        }
    }
}
