package dev.aand.api;

import dev.aand.infer.MapResizer;

/**
 * What the predictor says about one image.
 *
 * <p>{@link #map()} is the anomaly map at the model's resolution (the score is its maximum);
 * {@link #mapAtInput()} is the same map resized (bilinear) to the input image's own width and
 * height, and {@link #mask()} marks where that resized map reaches the threshold. Because resizing
 * interpolates, an image whose score only just reaches the threshold can have a nearly empty mask.
 * The map at input size is computed on first use (and kept): a caller that needs only the score
 * never pays for it, and a server computes it on its own threads rather than the engine's.
 */
public final class AnomalyResult {
    private final double score;
    private final double threshold;
    private final AnomalyMap map;
    private final int inputWidth;
    private final int inputHeight;
    private volatile AnomalyMap atInput;

    /**
     * @param score the image's anomaly score: the maximum of {@code map}
     * @param threshold the decision threshold in use (the model's, unless overridden)
     * @param map the anomaly map at model resolution
     * @param inputWidth the input image's width
     * @param inputHeight the input image's height
     */
    public AnomalyResult(double score, double threshold, AnomalyMap map, int inputWidth, int inputHeight) {
        if (inputWidth < 1 || inputHeight < 1) {
            throw new IllegalArgumentException("input size " + inputWidth + "x" + inputHeight + " is empty");
        }
        this.score = score;
        this.threshold = threshold;
        this.map = map;
        this.inputWidth = inputWidth;
        this.inputHeight = inputHeight;
    }

    /** The image's anomaly score: the maximum of {@link #map()}. */
    public double score() {
        return score;
    }

    /** The decision threshold in use (the model's, unless overridden). */
    public double threshold() {
        return threshold;
    }

    /** The anomaly map at model resolution. */
    public AnomalyMap map() {
        return map;
    }

    /** The input image's width. */
    public int inputWidth() {
        return inputWidth;
    }

    /** The input image's height. */
    public int inputHeight() {
        return inputHeight;
    }

    /** The anomaly map at the input image's size (bilinear from {@link #map()}). */
    public AnomalyMap mapAtInput() {
        AnomalyMap m = atInput;
        if (m == null) {
            // Two threads racing here compute the same values; either result may be kept.
            m = new AnomalyMap(inputWidth, inputHeight,
                    MapResizer.resize(map.values(), map.width(), map.height(), inputWidth, inputHeight));
            atInput = m;
        }
        return m;
    }

    /** True when {@code score >= threshold}. */
    public boolean anomalous() {
        return score >= threshold;
    }

    /** The binary defect mask at the input image's size: {@code mapAtInput >= threshold}. */
    public AnomalyMask mask() {
        return mapAtInput().threshold(threshold);
    }

    @Override
    public String toString() {
        return "AnomalyResult[score=" + score + ", threshold=" + threshold + ", anomalous=" + anomalous() + ", input="
                + inputWidth + "x" + inputHeight + "]";
    }
}
