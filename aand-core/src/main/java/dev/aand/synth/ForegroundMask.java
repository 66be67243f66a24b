package dev.aand.synth;

/**
 * Foreground masks: ITU-R 601 grayscale, Gaussian blur (sigma 8) so texture and small specks do
 * not punch holes, then a {@link ForegroundRule}.
 */
public final class ForegroundMask {
    /** Blur strength used before thresholding. */
    public static final double SIGMA = 8.0;

    private ForegroundMask() {}

    /**
     * @param rgb CHW RGB float[3*h*w] in [0, 255]
     * @return row-major float[h*w] of 0/1
     */
    public static float[] compute(float[] rgb, int h, int w, ForegroundRule rule) {
        if (rgb == null || rgb.length != 3 * h * w) {
            throw new IllegalArgumentException("foreground mask: expected a CHW RGB image of "
                    + (3 * h * w) + " values for " + h + "x" + w + ", got "
                    + (rgb == null ? "null" : rgb.length));
        }
        float[] mask = new float[h * w];
        if (rule instanceof ForegroundRule.Whole) {
            // The shape rules never read the gray image, so skip the blur for them.
            rule.fill(null, h, w, mask);
            return mask;
        }
        float[] gray = (rule instanceof ForegroundRule.Above || rule instanceof ForegroundRule.Below)
                ? gaussianBlur(grayscale(rgb, h, w), h, w, SIGMA)
                : null;
        rule.fill(gray, h, w, mask);
        return mask;
    }

    /** 0.299 R + 0.587 G + 0.114 B per pixel. */
    public static float[] grayscale(float[] rgb, int h, int w) {
        int n = h * w;
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = 0.299f * rgb[i] + 0.587f * rgb[n + i] + 0.114f * rgb[2 * n + i];
        }
        return g;
    }

    /**
     * Separable Gaussian blur, kernel truncated at 4 sigma, edges mirrored about the border
     * (d c b a | a b c d), the same as SciPy's default.
     */
    public static float[] gaussianBlur(float[] img, int h, int w, double sigma) {
        int radius = (int) Math.ceil(4 * sigma);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = StrictMath.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) k[i] /= sum;
        float[] tmp = new float[h * w];
        int[] ix = reflectIndex(w, radius);
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int t = 0; t < k.length; t++) acc += k[t] * img[row + ix[x + t]];
                tmp[row + x] = (float) acc;
            }
        }
        float[] out = new float[h * w];
        int[] iy = reflectIndex(h, radius);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int t = 0; t < k.length; t++) acc += k[t] * tmp[iy[y + t] * w + x];
                out[y * w + x] = (float) acc;
            }
        }
        return out;
    }

    /** Source index for padded positions -radius .. n-1+radius, mirrored as often as needed. */
    private static int[] reflectIndex(int n, int radius) {
        int[] idx = new int[n + 2 * radius];
        int period = 2 * n;
        for (int p = 0; p < idx.length; p++) {
            int m = Math.floorMod(p - radius, period);
            idx[p] = m < n ? m : period - 1 - m;
        }
        return idx;
    }
}
