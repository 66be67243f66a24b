package dev.aand.synth;

/** Bilinear resampling of planar (CHW) float images: resize and rotation about the centre. */
final class ImageSampling {
    private ImageSampling() {}

    /** What a sample outside the image reads. */
    enum Border {
        /** Nearest edge pixel: keeps rotated noise free of artificial dark corners. */
        NEAREST,
        /** Zero, like an affine warp with a constant black fill. */
        ZERO
    }

    /**
     * Resizes every channel with half-pixel-centre bilinear interpolation (the usual
     * align_corners=false convention).
     */
    static float[] resize(float[] src, int channels, int h, int w, int outH, int outW) {
        float[] out = new float[channels * outH * outW];
        int[] y0 = new int[outH], y1 = new int[outH];
        float[] fy = new float[outH];
        axis(h, outH, y0, y1, fy);
        int[] x0 = new int[outW], x1 = new int[outW];
        float[] fx = new float[outW];
        axis(w, outW, x0, x1, fx);
        for (int c = 0; c < channels; c++) {
            int base = c * h * w;
            int obase = c * outH * outW;
            for (int y = 0; y < outH; y++) {
                int r0 = base + y0[y] * w, r1 = base + y1[y] * w;
                float ty = fy[y];
                for (int x = 0; x < outW; x++) {
                    float top = src[r0 + x0[x]] + (src[r0 + x1[x]] - src[r0 + x0[x]]) * fx[x];
                    float bot = src[r1 + x0[x]] + (src[r1 + x1[x]] - src[r1 + x0[x]]) * fx[x];
                    out[obase + y * outW + x] = top + (bot - top) * ty;
                }
            }
        }
        return out;
    }

    private static void axis(int in, int out, int[] i0, int[] i1, float[] frac) {
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double s = (o + 0.5) * scale - 0.5;
            if (s < 0) s = 0;
            if (s > in - 1) s = in - 1;
            int lo = (int) Math.floor(s);
            i0[o] = lo;
            i1[o] = Math.min(lo + 1, in - 1);
            frac[o] = (float) (s - lo);
        }
    }

    /**
     * Rotates every channel by {@code degrees} (counter-clockwise as displayed) about the image
     * centre, sampling bilinearly.
     */
    static float[] rotate(float[] src, int channels, int h, int w, double degrees, Border border) {
        float[] out = new float[channels * h * w];
        double rad = Math.toRadians(degrees);
        double cos = StrictMath.cos(rad), sin = StrictMath.sin(rad);
        double cy = (h - 1) / 2.0, cx = (w - 1) / 2.0;
        for (int y = 0; y < h; y++) {
            double dy = y - cy;
            for (int x = 0; x < w; x++) {
                double dx = x - cx;
                // Inverse mapping: where in the source does this output pixel come from.
                double sx = cx + cos * dx - sin * dy;
                double sy = cy + sin * dx + cos * dy;
                for (int c = 0; c < channels; c++) {
                    out[c * h * w + y * w + x] = sample(src, c * h * w, h, w, sy, sx, border);
                }
            }
        }
        return out;
    }

    private static float sample(float[] src, int base, int h, int w, double sy, double sx,
            Border border) {
        if (border == Border.NEAREST) {
            sy = Math.max(0, Math.min(h - 1, sy));
            sx = Math.max(0, Math.min(w - 1, sx));
        }
        int y0 = (int) Math.floor(sy), x0 = (int) Math.floor(sx);
        double ty = sy - y0, tx = sx - x0;
        double v00 = at(src, base, h, w, y0, x0), v01 = at(src, base, h, w, y0, x0 + 1);
        double v10 = at(src, base, h, w, y0 + 1, x0), v11 = at(src, base, h, w, y0 + 1, x0 + 1);
        double top = v00 + (v01 - v00) * tx, bot = v10 + (v11 - v10) * tx;
        return (float) (top + (bot - top) * ty);
    }

    private static float at(float[] src, int base, int h, int w, int y, int x) {
        // For NEAREST the coordinates were clamped, so only the +1 neighbour can fall outside
        // and it carries zero weight; zero is therefore right for both modes.
        if (y < 0 || y >= h || x < 0 || x >= w) return 0f;
        return src[base + y * w + x];
    }
}
