package dev.aand.metrics;

/**
 * ROC curve points, one per distinct score in descending order, preceded by (0, 0); the same
 * arrays as scikit-learn 1.2 {@code roc_curve(labels, scores, drop_intermediate=False)}.
 *
 * @param fpr false positive rate for "positive iff score >= thresholds[i]"
 * @param tpr true positive rate for the same rule
 * @param thresholds decreasing; {@code thresholds[0] = max score + 1} marks the (0, 0) point, as
 *     scikit-learn 1.2 does
 */
public record RocCurve(double[] fpr, double[] tpr, double[] thresholds) {

    /** @throws IllegalArgumentException on bad input or when only one class is present */
    public static RocCurve of(double[] scores, boolean[] labels) {
        BinaryCounts c = BinaryCounts.of(scores, labels);
        c.requireBothClasses("ROC curve");
        int n = c.size() + 1;
        double[] fpr = new double[n];
        double[] tpr = new double[n];
        double[] thr = new double[n];
        thr[0] = c.thresholds[0] + 1;
        for (int k = 1; k < n; k++) {
            fpr[k] = (double) c.fps[k - 1] / c.negatives;
            tpr[k] = (double) c.tps[k - 1] / c.positives;
            thr[k] = c.thresholds[k - 1];
        }
        return new RocCurve(fpr, tpr, thr);
    }

    /** As {@link #of(double[], boolean[])}; float scores are widened exactly to double. */
    public static RocCurve of(float[] scores, boolean[] labels) {
        return of(BinaryCounts.widen(scores), labels);
    }

    public int size() {
        return fpr.length;
    }
}
