package dev.aand.infer;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.aand.data.Npy;
import dev.aand.testing.Engines;
import dev.aand.testing.Fixtures;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GaussianBlurTest {
    private static NDManager manager;
    private final GaussianBlur blur = new GaussianBlur(4.0);

    @BeforeAll
    static void start() {
        manager = Engines.manager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void kernelMatchesScipyWeights() throws Exception {
        JsonObject j = JsonParser.parseString(Files.readString(
                Fixtures.fixture("04_gaussian/gaussian_kernel1d_sigma4.json"))).getAsJsonObject();
        JsonArray w = j.getAsJsonArray("weights_float64");
        assertEquals(j.get("radius").getAsInt(), blur.radius());
        double[] k = blur.kernel();
        assertEquals(w.size(), k.length);
        for (int i = 0; i < k.length; i++) {
            assertEquals(w.get(i).getAsDouble(), k[i], 1e-15, "tap " + i);
        }
    }

    @Test
    void randomImageMatchesScipy() {
        Npy.Array in = Fixtures.npy("04_gaussian/random_input_256x256.npy");
        Npy.Array ref = Fixtures.npy("04_gaussian/random_output_sigma4.npy");
        try (NDManager m = manager.newSubManager()) {
            // [N,1,H,W] with two copies: the batch must not mix images.
            NDArray one = m.create(in.data(), new Shape(1, 1, 256, 256));
            NDArray x = one.concat(one.mul(0), 0);
            NDArray y = blur.apply(x);
            assertEquals(new Shape(2, 1, 256, 256), y.getShape());
            float[] got = y.get(0).toFloatArray();
            double max = 0;
            for (int i = 0; i < got.length; i++) {
                max = Math.max(max, Math.abs(got[i] - ref.data()[i]));
            }
            assertTrue(max <= 1e-6, "max abs diff " + max);
            assertEquals(0f, y.get(1).abs().max().getFloat());
        }
    }

    @Test
    void cornerSpikeShowsHalfSampleReflection() throws Exception {
        JsonObject j = JsonParser.parseString(Files.readString(
                Fixtures.fixture("04_gaussian/gaussian_kernel1d_sigma4.json"))).getAsJsonObject();
        double corner = j.get("spike_output_at_0_0_expected_float64").getAsDouble();
        Npy.Array in = Fixtures.npy("04_gaussian/spike_input_256x256.npy");
        Npy.Array ref = Fixtures.npy("04_gaussian/spike_output_sigma4.npy");
        try (NDManager m = manager.newSubManager()) {
            // [N,H,W] layout this time.
            float[] got = blur.apply(m.create(in.data(), new Shape(1, 256, 256))).toFloatArray();
            assertEquals(corner, got[0], 1e-8);
            for (int i = 0; i < got.length; i++) {
                double r = ref.data()[i];
                double d = Math.abs(got[i] - r);
                assertTrue(d <= 1e-8 || d <= 1e-5 * Math.abs(r), "pixel " + i + ": " + got[i] + " vs " + r);
            }
        }
    }

    @Test
    void reflectionIsHalfSampleSymmetric() {
        // n = 4: d c b a | a b c d | d c b a; indices beyond one period keep folding.
        int[] expected = {3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0};
        for (int i = -4; i < 8; i++) {
            assertEquals(expected[i + 4], GaussianBlur.reflect(i, 4), "index " + i);
        }
        assertEquals(0, GaussianBlur.reflect(-7, 1));
    }

    @Test
    void preservesConstantsOnTinyImagesAndCachesMatrices() {
        // radius 16 on a 3x5 image: every tap folds back inside; rows of the matrix sum to 1.
        try (NDManager m = manager.newSubManager()) {
            NDArray y = blur.apply(m.full(new Shape(3, 5), 2.5f));
            for (float v : y.toFloatArray()) {
                assertEquals(2.5f, v, 1e-6f);
            }
        }
        assertSame(blur.matrix(5), blur.matrix(5));
    }

    @Test
    void rejectsBadSigma() {
        assertThrows(IllegalArgumentException.class, () -> new GaussianBlur(0));
        assertThrows(IllegalArgumentException.class, () -> new GaussianBlur(Double.NaN));
    }
}
