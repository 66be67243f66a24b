package dev.aand.metrics;

/**
 * Best F1 score over all thresholds with "positive iff score >= threshold", as obtained from
 * scikit-learn's {@code precision_recall_curve} (F1 = 2PR/(P+R), 0 where P+R = 0). Among
 * thresholds with exactly equal F1 the lowest is reported, matching numpy's argmax over
 * scikit-learn's ascending threshold order.
 *
 * @param f1 the maximal F1
 * @param threshold the score threshold achieving it (one of the input scores)
 * @param precision precision at that threshold
 * @param recall recall at that threshold
 */
public record F1Max(double f1, double threshold, double precision, double recall) {

    /** @throws IllegalArgumentException on bad input or when no label is positive */
    public static F1Max of(double[] scores, boolean[] labels) {
        BinaryCounts c = BinaryCounts.of(scores, labels);
        if (c.positives == 0) {
            throw new IllegalArgumentException("F1 is undefined: no positive labels among "
                    + scores.length + " samples");
        }
        F1Max best = null;
        for (int k = 0; k < c.size(); k++) {
            double p = (double) c.tps[k] / (c.tps[k] + c.fps[k]);
            double r = (double) c.tps[k] / c.positives;
            double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0.0;
            // ">=" while walking down the thresholds keeps the lowest one on exact ties.
            if (best == null || f1 >= best.f1) {
                best = new F1Max(f1, c.thresholds[k], p, r);
            }
        }
        return best;
    }

    /** As {@link #of(double[], boolean[])}; float scores are widened exactly to double. */
    public static F1Max of(float[] scores, boolean[] labels) {
        return of(BinaryCounts.widen(scores), labels);
    }
}
