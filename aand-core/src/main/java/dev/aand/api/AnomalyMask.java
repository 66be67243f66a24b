package dev.aand.api;

/**
 * A binary defect mask: {@code true} where the anomaly map reaches the decision threshold.
 *
 * @param width pixels per row
 * @param height rows
 * @param values {@code width * height} flags, row-major
 */
public record AnomalyMask(int width, int height, boolean[] values) {
    public AnomalyMask {
        if (width < 1 || height < 1 || (long) width * height != values.length) {
            throw new IllegalArgumentException("mask of " + values.length + " values is not " + width + "x" + height);
        }
    }

    public boolean get(int x, int y) {
        return values[y * width + x];
    }

    /** Number of pixels marked anomalous. */
    public long area() {
        long n = 0;
        for (boolean b : values) {
            n += b ? 1 : 0;
        }
        return n;
    }
}
