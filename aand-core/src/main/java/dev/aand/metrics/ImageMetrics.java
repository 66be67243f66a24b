package dev.aand.metrics;

/**
 * Image-level summary for a report: AUROC and best F1 with its threshold. Undefined values (a
 * single class present) are NaN here instead of exceptions, because a report should still show the
 * other numbers.
 *
 * @param auroc exact ROC AUC, NaN if only one class is present
 * @param f1Max best F1 over thresholds, NaN if there are no positives
 * @param threshold the score threshold of {@code f1Max} (positive iff score >= threshold), NaN if
 *     there are no positives
 */
public record ImageMetrics(double auroc, double f1Max, double threshold) {

    /** @throws IllegalArgumentException if lengths differ or a score is NaN */
    public static ImageMetrics of(double[] scores, boolean[] labels) {
        BinaryCounts c = BinaryCounts.of(scores, labels);
        double auroc = c.positives > 0 && c.negatives > 0 ? c.auroc() : Double.NaN;
        if (c.positives == 0) {
            return new ImageMetrics(auroc, Double.NaN, Double.NaN);
        }
        F1Max f1 = F1Max.of(scores, labels);
        return new ImageMetrics(auroc, f1.f1(), f1.threshold());
    }

    /** As {@link #of(double[], boolean[])}; float scores are widened exactly to double. */
    public static ImageMetrics of(float[] scores, boolean[] labels) {
        return of(BinaryCounts.widen(scores), labels);
    }
}
