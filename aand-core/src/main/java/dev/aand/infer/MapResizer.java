package dev.aand.infer;

/**
 * Resizes an anomaly map to an image's own size with bilinear interpolation on pixel centres
 * (torch's {@code align_corners=False}, no antialiasing: a map is smooth already). Done in Java,
 * separably, because the target size differs per image: an engine matrix per size would be
 * larger than the work and would have to be cached per size.
 */
public final class MapResizer {
    private MapResizer() {}

    /** {@code src} is {@code srcW x srcH} row-major; the result is {@code dstW x dstH}. */
    public static float[] resize(float[] src, int srcW, int srcH, int dstW, int dstH) {
        if (srcW < 1 || srcH < 1 || (long) srcW * srcH != src.length) {
            throw new IllegalArgumentException("map of " + src.length + " values is not " + srcW + "x" + srcH);
        }
        if (dstW < 1 || dstH < 1) {
            throw new IllegalArgumentException("target size must be positive, got " + dstW + "x" + dstH);
        }
        if (srcW == dstW && srcH == dstH) {
            return src.clone();
        }
        int[] x0 = new int[dstW];
        float[] fx = new float[dstW];
        taps(srcW, dstW, x0, fx);
        int[] y0 = new int[dstH];
        float[] fy = new float[dstH];
        taps(srcH, dstH, y0, fy);
        // Rows first into a [srcH, dstW] buffer, then columns.
        float[] rows = new float[srcH * dstW];
        for (int y = 0; y < srcH; y++) {
            int base = y * srcW;
            for (int x = 0; x < dstW; x++) {
                int a = x0[x];
                int b = Math.min(a + 1, srcW - 1);
                rows[y * dstW + x] = src[base + a] + fx[x] * (src[base + b] - src[base + a]);
            }
        }
        float[] out = new float[dstW * dstH];
        for (int y = 0; y < dstH; y++) {
            int a = y0[y] * dstW;
            int b = Math.min(y0[y] + 1, srcH - 1) * dstW;
            float f = fy[y];
            for (int x = 0; x < dstW; x++) {
                out[y * dstW + x] = rows[a + x] + f * (rows[b + x] - rows[a + x]);
            }
        }
        return out;
    }

    private static void taps(int in, int out, int[] lo, float[] frac) {
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            double src = Math.max((i + 0.5) * scale - 0.5, 0.0);
            int i0 = Math.min((int) Math.floor(src), in - 1);
            lo[i] = i0;
            frac[i] = (float) (src - i0);
        }
    }
}
