package dev.aand.config;

/**
 * Bounds on what a file may make aand allocate, each overridable by a system property (for the
 * CLI: {@code AAND_JAVA_OPTS="-Daand.image.maxPixels=200000000" ./aand ...}). They are not
 * hyper-parameters, so they live here rather than in {@link AandConfig}.
 */
public final class Limits {
    /** System property that overrides {@link #DEFAULT_MAX_IMAGE_PIXELS}. */
    public static final String MAX_IMAGE_PIXELS = "aand.image.maxPixels";
    /** Largest image decoded by default: 100 megapixels (about 1.6 GB while decoding). */
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 100_000_000L;
    /** System property that overrides {@link #DEFAULT_MAX_WEIGHT_BYTES}. */
    public static final String MAX_WEIGHT_BYTES = "aand.weights.maxBytes";
    /**
     * Most bytes of tensor data read from one weight file. The largest supported teacher
     * (wide_resnet50_2) needs 0.27 GB; the budget stops a crafted file from exhausting memory.
     */
    public static final long DEFAULT_MAX_WEIGHT_BYTES = 2L << 30;

    private Limits() {}

    /** The pixel budget of one decoded image. */
    public static long maxImagePixels() {
        return positive(MAX_IMAGE_PIXELS, DEFAULT_MAX_IMAGE_PIXELS);
    }

    /** The budget in bytes of tensor data per weight file. */
    public static long maxWeightBytes() {
        return positive(MAX_WEIGHT_BYTES, DEFAULT_MAX_WEIGHT_BYTES);
    }

    private static long positive(String property, long fallback) {
        String v = System.getProperty(property);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + property + " must be a positive whole number, got '"
                + v + "'");
    }
}
