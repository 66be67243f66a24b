package dev.aand.report;

import java.util.Arrays;
import java.util.Collection;

/**
 * One colour scale shared by all heatmaps of a report, so that equal colours mean equal
 * scores across images. Robust percentiles rather than min/max keep a single hot pixel from
 * washing out every other map.
 */
public record HeatmapScale(float vmin, float vmax) {
    /** Percentiles used by reports: 1st and 99.9th. */
    public static final double LOW_PERCENTILE = 1.0;
    public static final double HIGH_PERCENTILE = 99.9;

    // Above this many values, a strided sample is exact enough and saves sorting everything.
    private static final int MAX_SAMPLES = 4_000_000;

    public HeatmapScale {
        if (!Float.isFinite(vmin) || !Float.isFinite(vmax) || vmax < vmin) {
            throw new IllegalArgumentException("heatmap scale needs finite vmin <= vmax, got " + vmin + ", " + vmax);
        }
    }

    /** The {@code low}/{@code high} percentiles of all finite values of all maps. */
    public static HeatmapScale fromPercentiles(Collection<float[]> maps, double low, double high) {
        if (!(low >= 0 && low < high && high <= 100)) {
            throw new IllegalArgumentException("need 0 <= low < high <= 100, got " + low + ", " + high);
        }
        long total = 0;
        for (float[] m : maps) {
            total += m.length;
        }
        long stride = Math.max(1, (total + MAX_SAMPLES - 1) / MAX_SAMPLES);
        float[] vals = new float[(int) Math.min(total, MAX_SAMPLES + maps.size())];
        int n = 0;
        long idx = 0;
        for (float[] m : maps) {
            for (float v : m) {
                if (idx++ % stride == 0 && Float.isFinite(v) && n < vals.length) {
                    vals[n++] = v;
                }
            }
        }
        if (n == 0) {
            return new HeatmapScale(0f, 1f);
        }
        Arrays.sort(vals, 0, n);
        float lo = vals[rank(low, n)];
        float hi = vals[rank(high, n)];
        if (!(hi > lo)) {
            // Flat maps: widen the scale so colouring stays defined and shows the lowest colour.
            hi = lo + Math.max(Math.abs(lo) * 1e-6f, 1e-6f);
        }
        return new HeatmapScale(lo, hi);
    }

    private static int rank(double percentile, int n) {
        return (int) Math.min(n - 1, Math.max(0, Math.round(percentile / 100.0 * (n - 1))));
    }
}
