package dev.aand.nn;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aand.testing.Engines;
import org.junit.jupiter.api.Test;

class CosineTest {
    @Test
    void alongAnAxisAndPairwiseAgree() {
        try (NDManager m = Engines.manager()) {
            // Rows (3,4) and (0,2) against (4,3) and (0,-5).
            NDArray a = m.create(new float[] {3, 4, 0, 2}, new Shape(2, 2));
            NDArray b = m.create(new float[] {4, 3, 0, -5}, new Shape(2, 2));
            assertArrayEquals(new float[] {24f / 25, -1f}, Cosine.similarity(a, b, 1).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {1 - 24f / 25, 2f}, Cosine.distance(a, b, 1).toFloatArray(), 1e-6f);
            // pairwise[i][j] = cos(a_i, b_j); a batch of one with a shared b gives the same.
            float[] expected = {24f / 25, -4f / 5, 3f / 5, -1f};
            assertArrayEquals(expected, Cosine.pairwise(a, b).toFloatArray(), 1e-6f);
            assertArrayEquals(expected, Cosine.pairwise(a.expandDims(0), b).toFloatArray(), 1e-6f);
            assertArrayEquals(expected, Cosine.pairwise(a.expandDims(0), b.expandDims(0)).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void aZeroVectorHasCosineZeroNotNaN() {
        try (NDManager m = Engines.manager()) {
            NDArray zero = m.zeros(new Shape(1, 3));
            NDArray x = m.create(new float[] {1, 2, 3}, new Shape(1, 3));
            assertEquals(0f, Cosine.similarity(zero, x, 1).getFloat(0));
            assertEquals(0f, Cosine.pairwise(zero, x).getFloat(0, 0));
        }
    }
}
