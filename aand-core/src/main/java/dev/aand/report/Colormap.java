package dev.aand.report;

/**
 * A jet-like (turbo-style) colormap: dark blue for low anomaly scores through cyan, green and
 * yellow to dark red for high ones. Built from a handful of control points and interpolated
 * into a 256-entry lookup table, so colouring a map is one table lookup per pixel.
 */
public final class Colormap {
    // Control points (position, r, g, b). Chosen so that brightness rises towards the middle and
    // both ends stay dark: the extremes remain distinguishable from the photo under a blend.
    private static final double[][] STOPS = {
        {0.00, 48, 18, 59},
        {0.12, 68, 90, 204},
        {0.25, 55, 160, 250},
        {0.37, 30, 210, 210},
        {0.50, 120, 250, 90},
        {0.62, 210, 235, 50},
        {0.74, 252, 175, 55},
        {0.86, 230, 85, 20},
        {1.00, 122, 4, 3},
    };

    private static final int[] LUT = buildLut();

    private Colormap() {}

    private static int[] buildLut() {
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) {
            double t = i / 255.0;
            int k = 0;
            while (k < STOPS.length - 2 && t > STOPS[k + 1][0]) {
                k++;
            }
            double[] a = STOPS[k];
            double[] b = STOPS[k + 1];
            double f = (t - a[0]) / (b[0] - a[0]);
            f = Math.max(0, Math.min(1, f));
            int r = (int) Math.round(a[1] + f * (b[1] - a[1]));
            int g = (int) Math.round(a[2] + f * (b[2] - a[2]));
            int bl = (int) Math.round(a[3] + f * (b[3] - a[3]));
            lut[i] = (r << 16) | (g << 8) | bl;
        }
        return lut;
    }

    /** Packed 0xRRGGBB colour for {@code t} in [0, 1]; values outside are clamped, NaN maps to 0. */
    public static int rgb(double t) {
        if (!(t > 0)) {
            return LUT[0];
        }
        if (t >= 1) {
            return LUT[255];
        }
        return LUT[(int) Math.round(t * 255)];
    }

    /** Packed colour of {@code value} on the scale [vmin, vmax]; a degenerate scale maps to 0. */
    public static int rgb(double value, double vmin, double vmax) {
        double span = vmax - vmin;
        if (!(span > 0)) {
            return LUT[0];
        }
        return rgb((value - vmin) / span);
    }
}
