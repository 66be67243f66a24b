package dev.aand.metrics;

/**
 * Exact area under the ROC curve for binary labels (true = anomalous), equal to scikit-learn's
 * {@code roc_auc_score}: tied scores of a positive and a negative count half.
 */
public final class Auroc {
    private Auroc() {}

    /**
     * @throws IllegalArgumentException if lengths differ, a score is NaN, or only one class is
     *     present (AUROC is undefined then; callers usually report NaN)
     */
    public static double of(double[] scores, boolean[] labels) {
        return BinaryCounts.of(scores, labels).auroc();
    }

    /** As {@link #of(double[], boolean[])}; float scores are widened exactly to double. */
    public static double of(float[] scores, boolean[] labels) {
        return of(BinaryCounts.widen(scores), labels);
    }
}
