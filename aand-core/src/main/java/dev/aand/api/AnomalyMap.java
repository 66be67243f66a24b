package dev.aand.api;

/**
 * An anomaly map: one value per pixel, row-major, higher is more anomalous. Values are in the
 * model's score units, so they compare directly with the decision threshold.
 *
 * @param width pixels per row
 * @param height rows
 * @param values {@code width * height} values, row-major
 */
public record AnomalyMap(int width, int height, float[] values) {
    public AnomalyMap {
        if (width < 1 || height < 1 || (long) width * height != values.length) {
            throw new IllegalArgumentException("map of " + values.length + " values is not " + width + "x" + height);
        }
    }

    /** The value at column {@code x}, row {@code y}. */
    public float get(int x, int y) {
        return values[y * width + x];
    }

    /** Where the map is at or above {@code threshold}. */
    public AnomalyMask threshold(double threshold) {
        boolean[] on = new boolean[values.length];
        for (int i = 0; i < on.length; i++) {
            on[i] = values[i] >= threshold;
        }
        return new AnomalyMask(width, height, on);
    }

    /** The position of the largest value, {x, y} (the first one in row-major order on ties). */
    public int[] peak() {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return new int[] {best % width, best / width};
    }
}
