package dev.aand.metrics;

/**
 * Per-region overlap (PRO) against false positive rate, from (0, 0) in order of decreasing
 * threshold, cut at a maximal FPR.
 *
 * @param fpr fraction of normal pixels with score >= threshold
 * @param pro mean over all ground-truth regions of the fraction of the region with score >=
 *     threshold
 * @param thresholds the threshold of each point; the (0, 0) point carries max score + 1 and a
 *     linearly interpolated end point at the FPR limit carries NaN
 */
public record ProCurve(double[] fpr, double[] pro, double[] thresholds) {
    public int size() {
        return fpr.length;
    }
}
