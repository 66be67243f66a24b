package dev.aand.synth;

import java.util.SplittableRandom;

/**
 * 2D gradient (Perlin) noise and the random binary blobs DRAEM-style synthesis cuts anomalies
 * with. Same construction as DRAEM's {@code rand_perlin_2d_np}: one random unit gradient per
 * lattice corner, a quintic fade, scaled by sqrt(2) so values lie roughly in [-1, 1].
 */
public final class PerlinNoise {
    private PerlinNoise() {}

    /**
     * Noise of shape (h, w) with {@code resY} x {@code resX} lattice cells. When a side is not a
     * multiple of its resolution the noise is computed on the next multiple and cropped, so each
     * cell always spans a whole number of pixels.
     *
     * @return row-major float[h*w]
     */
    public static float[] noise(int h, int w, int resY, int resX, SplittableRandom rng) {
        if (h <= 0 || w <= 0 || resY <= 0 || resX <= 0) {
            throw new IllegalArgumentException("Perlin noise needs positive shape and resolution, got "
                    + h + "x" + w + " at " + resY + "x" + resX);
        }
        int cellH = (h + resY - 1) / resY;
        int cellW = (w + resX - 1) / resX;
        int gy = resY + 1, gx = resX + 1;
        double[] gradY = new double[gy * gx];
        double[] gradX = new double[gy * gx];
        for (int i = 0; i < gy * gx; i++) {
            double a = 2 * Math.PI * rng.nextDouble();
            gradY[i] = StrictMath.cos(a);
            gradX[i] = StrictMath.sin(a);
        }
        double[] fadeX = new double[cellW];
        for (int j = 0; j < cellW; j++) fadeX[j] = fade((double) j / cellW);
        float[] out = new float[h * w];
        double root2 = Math.sqrt(2);
        for (int y = 0; y < h; y++) {
            int iy = y / cellH;
            double fy = (double) (y % cellH) / cellH;
            double ty = fade(fy);
            for (int x = 0; x < w; x++) {
                int ix = x / cellW;
                int jx = x % cellW;
                double fx = (double) jx / cellW;
                int g00 = iy * gx + ix, g10 = g00 + gx, g01 = g00 + 1, g11 = g10 + 1;
                double n00 = gradY[g00] * fy + gradX[g00] * fx;
                double n10 = gradY[g10] * (fy - 1) + gradX[g10] * fx;
                double n01 = gradY[g01] * fy + gradX[g01] * (fx - 1);
                double n11 = gradY[g11] * (fy - 1) + gradX[g11] * (fx - 1);
                double a = n00 + ty * (n10 - n00);
                double b = n01 + ty * (n11 - n01);
                out[y * w + x] = (float) (root2 * (a + fadeX[jx] * (b - a)));
            }
        }
        return out;
    }

    /** 6t^5 - 15t^4 + 10t^3: zero first and second derivatives at the lattice points. */
    static double fade(double t) {
        return t * t * t * (t * (t * 6 - 15) + 10);
    }

    /**
     * A random blob mask: noise at resolution (2^a, 2^b) with a, b drawn independently and
     * uniformly from [minExp, maxExp], rotated by a uniform angle in (-90, 90) degrees about the
     * centre, then {@code > threshold}.
     *
     * @return row-major float[h*w] of 0/1
     */
    public static float[] randomMask(int h, int w, int minExp, int maxExp, double threshold,
            SplittableRandom rng) {
        if (minExp < 0 || maxExp < minExp || maxExp > 20) {
            throw new IllegalArgumentException("Perlin scale exponents must satisfy 0 <= min <= max <= 20,"
                    + " got min=" + minExp + " max=" + maxExp);
        }
        int resY = 1 << (minExp + rng.nextInt(maxExp - minExp + 1));
        int resX = 1 << (minExp + rng.nextInt(maxExp - minExp + 1));
        double angle = -90 + 180 * rng.nextDouble();
        float[] n = rotate(noise(h, w, resY, resX, rng), h, w, angle);
        float[] mask = new float[h * w];
        for (int i = 0; i < mask.length; i++) mask[i] = n[i] > threshold ? 1f : 0f;
        return mask;
    }

    /** Rotates a single-channel map about its centre; outside samples take the nearest edge. */
    public static float[] rotate(float[] map, int h, int w, double degrees) {
        return ImageSampling.rotate(map, 1, h, w, degrees, ImageSampling.Border.NEAREST);
    }
}
