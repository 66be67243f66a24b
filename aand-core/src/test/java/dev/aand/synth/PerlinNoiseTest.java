package dev.aand.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PerlinNoiseTest {

    @Test
    void fadeHasFlatEndsAndPassesThroughHalf() {
        assertEquals(0.0, PerlinNoise.fade(0), 0);
        assertEquals(1.0, PerlinNoise.fade(1), 1e-12);
        assertEquals(0.5, PerlinNoise.fade(0.5), 1e-12);
        double eps = 1e-4;
        assertTrue(PerlinNoise.fade(eps) / eps < 1e-6, "slope at 0 must vanish");
    }

    @Test
    void noiseValuesAreBoundedCentredAndZeroOnLattice() {
        SplittableRandom rng = new SplittableRandom(7);
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE, sum = 0, sumSq = 0;
        int total = 0;
        for (int rep = 0; rep < 20; rep++) {
            int res = 1 << (rep % 5 + 1);
            float[] n = PerlinNoise.noise(64, 64, res, res, rng);
            int cell = 64 / res;
            for (int y = 0; y < 64; y += cell) {
                for (int x = 0; x < 64; x += cell) {
                    assertEquals(0f, n[y * 64 + x], 1e-6f, "gradient noise vanishes at lattice points");
                }
            }
            for (float v : n) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
                sumSq += v * v;
                total++;
            }
        }
        // sqrt(2) * 2D Perlin noise lies within [-1, 1].
        assertTrue(min >= -1.0001 && max <= 1.0001, "range " + min + ".." + max);
        assertTrue(max > 0.5 && min < -0.5, "noise should use its range: " + min + ".." + max);
        assertEquals(0.0, sum / total, 0.05, "mean");
        double std = Math.sqrt(sumSq / total - Math.pow(sum / total, 2));
        assertTrue(std > 0.1 && std < 0.6, "std " + std);
    }

    @Test
    void noiseIsSmoothBetweenNeighbours() {
        float[] n = PerlinNoise.noise(64, 64, 4, 4, new SplittableRandom(3));
        float maxStep = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 1; x < 64; x++) maxStep = Math.max(maxStep, Math.abs(n[y * 64 + x] - n[y * 64 + x - 1]));
        }
        // A cell spans 16 px; gradients are unit length, so per-pixel change stays small.
        assertTrue(maxStep < 0.25f, "max neighbour step " + maxStep);
    }

    @Test
    void sameSeedSameNoiseAndCropForUnevenShapes() {
        float[] a = PerlinNoise.noise(37, 50, 8, 16, new SplittableRandom(11));
        float[] b = PerlinNoise.noise(37, 50, 8, 16, new SplittableRandom(11));
        assertArrayEquals(a, b);
        assertEquals(37 * 50, a.length);
        // 37 rows at 8 cells -> computed on 40 (5 px cells) and cropped: still zero on lattice rows.
        for (int x = 0; x < 50; x += 4) assertEquals(0f, a[5 * 50 + x], 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> PerlinNoise.noise(0, 5, 1, 1, new SplittableRandom(1)));
    }

    @Test
    void rotationByZeroIsIdentityAndQuarterTurnKeepsShape() {
        int h = 33, w = 33;
        float[] map = new float[h * w];
        // A 9x21 bar centred in the image.
        for (int y = 12; y <= 20; y++) for (int x = 6; x <= 26; x++) map[y * w + x] = 1f;
        float[] same = PerlinNoise.rotate(map, h, w, 0);
        assertArrayEquals(map, same, 1e-6f);
        float[] turned = PerlinNoise.rotate(map, h, w, 90);
        int count = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean inTransposed = x >= 12 && x <= 20 && y >= 6 && y <= 26;
                assertEquals(inTransposed ? 1f : 0f, turned[y * w + x], 1e-4f, "at " + y + "," + x);
                if (turned[y * w + x] > 0.5f) count++;
            }
        }
        assertEquals(9 * 21, count, "area kept");
        // A small angle keeps the area approximately.
        float[] tilted = PerlinNoise.rotate(map, h, w, 30);
        int tiltedCount = 0;
        for (float v : tilted) if (v > 0.5f) tiltedCount++;
        assertEquals(9 * 21, tiltedCount, 20);
    }

    @Test
    void randomMaskIsBinaryAndCoversAPlausibleShare() {
        SplittableRandom rng = new SplittableRandom(5);
        double covered = 0;
        int reps = 40;
        for (int r = 0; r < reps; r++) {
            float[] m = PerlinNoise.randomMask(64, 64, 0, 5, 0.5, rng);
            int on = 0;
            for (float v : m) {
                assertTrue(v == 0f || v == 1f);
                if (v == 1f) on++;
            }
            covered += on / 4096.0;
        }
        covered /= reps;
        // Values above 0.5 are the tail of a roughly [-1, 1] distribution.
        assertTrue(covered > 0.01 && covered < 0.35, "mean coverage " + covered);
        assertArrayEquals(PerlinNoise.randomMask(32, 32, 0, 5, 0.5, new SplittableRandom(9)),
                PerlinNoise.randomMask(32, 32, 0, 5, 0.5, new SplittableRandom(9)));
    }
}
