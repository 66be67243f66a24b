package dev.aand.data;

/**
 * Separable bicubic resampling (Keys kernel, a = -0.5) of planar float images, with the kernel
 * widened by the scale factor when shrinking so that every source pixel contributes (antialiasing,
 * the behaviour of PIL's BICUBIC filter that Python pipelines resize with). Values are not
 * clamped here; the kernel's negative lobes can overshoot.
 */
public final class BicubicResampler {
    private static final double A = -0.5;
    private static final double SUPPORT = 2.0;

    private BicubicResampler() {}

    /** Per output position: first source index and the normalised weights from there on. */
    private record Taps(int[] start, double[][] weights) {}

    /**
     * Resizes a planar {@code [channels, height, width]} array to {@code [channels, outHeight,
     * outWidth]}.
     */
    public static float[] resize(float[] src, int channels, int height, int width, int outHeight,
            int outWidth) {
        if (channels <= 0 || height <= 0 || width <= 0 || outHeight <= 0 || outWidth <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + channels + "x" + height
                    + "x" + width + " -> " + outHeight + "x" + outWidth);
        }
        if (src.length != channels * height * width) {
            throw new IllegalArgumentException("array of " + src.length + " values is not "
                    + channels + "x" + height + "x" + width);
        }
        Taps tx = taps(width, outWidth);
        Taps ty = taps(height, outHeight);
        // Horizontal pass into a double buffer, then vertical; no rounding in between.
        double[] mid = new double[channels * height * outWidth];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int row = (c * height + y) * width;
                int outRow = (c * height + y) * outWidth;
                for (int x = 0; x < outWidth; x++) {
                    double[] w = tx.weights()[x];
                    int s = row + tx.start()[x];
                    double acc = 0;
                    for (int k = 0; k < w.length; k++) {
                        acc += w[k] * src[s + k];
                    }
                    mid[outRow + x] = acc;
                }
            }
        }
        float[] out = new float[channels * outHeight * outWidth];
        for (int c = 0; c < channels; c++) {
            int plane = c * height * outWidth;
            for (int y = 0; y < outHeight; y++) {
                double[] w = ty.weights()[y];
                int s = ty.start()[y];
                int outRow = (c * outHeight + y) * outWidth;
                for (int x = 0; x < outWidth; x++) {
                    double acc = 0;
                    for (int k = 0; k < w.length; k++) {
                        acc += w[k] * mid[plane + (s + k) * outWidth + x];
                    }
                    out[outRow + x] = (float) acc;
                }
            }
        }
        return out;
    }

    private static Taps taps(int in, int out) {
        double scale = (double) in / out;
        double stretch = Math.max(scale, 1.0); // >1 only when shrinking
        double reach = SUPPORT * stretch;
        int[] start = new int[out];
        double[][] weights = new double[out][];
        for (int o = 0; o < out; o++) {
            double centre = (o + 0.5) * scale; // in source pixel-edge coordinates
            int lo = Math.max((int) Math.floor(centre - reach + 0.5), 0);
            int hi = Math.min((int) Math.floor(centre + reach + 0.5), in);
            double[] w = new double[Math.max(hi - lo, 1)];
            double sum = 0;
            for (int j = lo; j < hi; j++) {
                double v = cubic((j + 0.5 - centre) / stretch);
                w[j - lo] = v;
                sum += v;
            }
            if (sum != 0) {
                for (int k = 0; k < w.length; k++) {
                    w[k] /= sum;
                }
            } else {
                w[0] = 1; // degenerate window: fall back to the nearest pixel
            }
            start[o] = Math.min(lo, in - 1);
            weights[o] = w;
        }
        return new Taps(start, weights);
    }

    private static double cubic(double x) {
        double t = Math.abs(x);
        if (t < 1) {
            return ((A + 2) * t - (A + 3)) * t * t + 1;
        }
        if (t < 2) {
            return ((t - 5) * t + 8) * t * A - 4 * A;
        }
        return 0;
    }
}
