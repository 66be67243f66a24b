package dev.aand.api;

/**
 * What the predictor says about one image.
 *
 * <p>{@link #map()} is the anomaly map at the model's resolution (the score is its maximum);
 * {@link #mapAtInput()} is the same map resized (bilinear) to the input image's own width and
 * height, and {@link #mask()} marks where that resized map reaches the threshold. Because resizing
 * interpolates, an image whose score only just reaches the threshold can have a nearly empty mask.
 *
 * @param score the image's anomaly score: the maximum of {@link #map()}
 * @param threshold the decision threshold in use (the model's, unless overridden)
 * @param map the anomaly map at model resolution
 * @param mapAtInput the anomaly map at the input image's size
 */
public record AnomalyResult(double score, double threshold, AnomalyMap map, AnomalyMap mapAtInput) {

    /** True when {@code score >= threshold}. */
    public boolean anomalous() {
        return score >= threshold;
    }

    /** The binary defect mask at the input image's size: {@code mapAtInput >= threshold}. */
    public AnomalyMask mask() {
        return mapAtInput.threshold(threshold);
    }
}
