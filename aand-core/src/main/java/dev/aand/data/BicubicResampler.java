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
    record Taps(int[] start, double[][] weights) {}

    /**
     * Resizes a planar {@code [channels, height, width]} array to {@code [channels, outHeight,
     * outWidth]}.
     */
    public static float[] resize(float[] src, int channels, int height, int width, int outHeight,
            int outWidth) {
        check(src, channels, height, width, outHeight, outWidth);
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
        // Row by row, so that the source rows are read in order; each output still sums its
        // taps in the same order (k = 0, 1, ...), so the result is the same to the bit.
        double[] acc = new double[outWidth];
        for (int c = 0; c < channels; c++) {
            int plane = c * height * outWidth;
            for (int y = 0; y < outHeight; y++) {
                double[] w = ty.weights()[y];
                int s = ty.start()[y];
                java.util.Arrays.fill(acc, 0);
                for (int k = 0; k < w.length; k++) {
                    double wk = w[k];
                    int row = plane + (s + k) * outWidth;
                    for (int x = 0; x < outWidth; x++) {
                        acc[x] += wk * mid[row + x];
                    }
                }
                int outRow = (c * outHeight + y) * outWidth;
                for (int x = 0; x < outWidth; x++) {
                    out[outRow + x] = (float) acc[x];
                }
            }
        }
        return out;
    }

    /**
     * PIL's {@code Image.resize(size, BICUBIC)} of an 8-bit image, bit for bit (Pillow's
     * Resample.c for 8-bit bands): the same taps as {@link #resize}, turned into 22-bit fixed-point
     * weights, and each pass (horizontal first, skipped when that side keeps its size) rounded and
     * clamped to 0..255. {@code src} holds integers 0..255; so does the result.
     */
    public static float[] resizeUint8(float[] src, int channels, int height, int width, int outHeight,
            int outWidth) {
        check(src, channels, height, width, outHeight, outWidth);
        int[] pixels = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            pixels[i] = Math.min(255, Math.max(0, Math.round(src[i])));
        }
        int w = width;
        if (outWidth != width) {
            pixels = fixedPointPass(pixels, channels * height, width, 1, outWidth, taps(width, outWidth));
            w = outWidth;
        }
        if (outHeight != height) {
            int[] out = new int[channels * outHeight * w];
            Taps ty = taps(height, outHeight);
            for (int c = 0; c < channels; c++) {
                int[] plane = fixedPointPass(java.util.Arrays.copyOfRange(pixels, c * height * w, (c + 1) * height * w),
                        w, height, w, outHeight, ty);
                System.arraycopy(plane, 0, out, c * outHeight * w, plane.length);
            }
            pixels = out;
        }
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = pixels[i];
        }
        return out;
    }

    /** Pillow's PRECISION_BITS for 8-bit bands: 32 - 8 - 2. */
    private static final int PRECISION_BITS = 22;

    /**
     * One fixed-point pass over {@code lines} independent lines of {@code in} samples each, spaced
     * {@code step} apart (1 along a row; the row length down a column), into {@code out} samples
     * per line laid out the same way.
     */
    private static int[] fixedPointPass(int[] src, int lines, int in, int step, int out, Taps taps) {
        int[][] k = new int[out][];
        for (int o = 0; o < out; o++) {
            double[] w = taps.weights()[o];
            k[o] = new int[w.length];
            for (int j = 0; j < w.length; j++) {
                // C's (int) truncates toward zero, as Java's cast does.
                k[o][j] = (int) (w[j] < 0 ? -0.5 + w[j] * (1 << PRECISION_BITS) : 0.5 + w[j] * (1 << PRECISION_BITS));
            }
        }
        boolean rows = step == 1;
        int[] dst = new int[rows ? lines * out : out * step];
        for (int line = 0; line < lines; line++) {
            int base = rows ? line * in : line;
            int outBase = rows ? line * out : line;
            for (int o = 0; o < out; o++) {
                int acc = 1 << (PRECISION_BITS - 1);
                int s = base + taps.start()[o] * step;
                for (int j = 0; j < k[o].length; j++) {
                    acc += src[s + j * step] * k[o][j];
                }
                dst[outBase + o * step] = Math.min(255, Math.max(0, acc >> PRECISION_BITS));
            }
        }
        return dst;
    }

    private static void check(float[] src, int channels, int height, int width, int outHeight, int outWidth) {
        if (channels <= 0 || height <= 0 || width <= 0 || outHeight <= 0 || outWidth <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + channels + "x" + height
                    + "x" + width + " -> " + outHeight + "x" + outWidth);
        }
        if (src.length != channels * height * width) {
            throw new IllegalArgumentException("array of " + src.length + " values is not "
                    + channels + "x" + height + "x" + width);
        }
    }

    static Taps taps(int in, int out) {
        double scale = (double) in / out;
        double stretch = Math.max(scale, 1.0); // >1 only when shrinking
        double reach = SUPPORT * stretch;
        double inverse = 1.0 / stretch;
        int[] start = new int[out];
        double[][] weights = new double[out][];
        for (int o = 0; o < out; o++) {
            double centre = (o + 0.5) * scale; // in source pixel-edge coordinates
            int lo = Math.max((int) Math.floor(centre - reach + 0.5), 0);
            int hi = Math.min((int) Math.floor(centre + reach + 0.5), in);
            double[] w = new double[Math.max(hi - lo, 1)];
            double sum = 0;
            for (int j = lo; j < hi; j++) {
                // Pillow's exact arithmetic (Resample.c precompute_coeffs), so the 8-bit path is bitwise PIL.
                double v = cubic((j - centre + 0.5) * inverse);
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
