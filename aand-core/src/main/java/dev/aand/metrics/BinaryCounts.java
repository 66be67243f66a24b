package dev.aand.metrics;

import java.util.Arrays;

/**
 * Cumulative true/false positive counts at every distinct score, highest score first (the
 * counterpart of scikit-learn's internal {@code _binary_clf_curve}). Entry {@code i} describes the
 * rule "positive iff score >= thresholds[i]". Built from two sorted primitive arrays so that no
 * boxing or index sort is needed.
 */
final class BinaryCounts {
    final double[] thresholds;
    final long[] tps;
    final long[] fps;
    final long positives;
    final long negatives;

    private BinaryCounts(double[] thresholds, long[] tps, long[] fps, int n) {
        this.thresholds = Arrays.copyOf(thresholds, n);
        this.tps = Arrays.copyOf(tps, n);
        this.fps = Arrays.copyOf(fps, n);
        this.positives = n == 0 ? 0 : tps[n - 1];
        this.negatives = n == 0 ? 0 : fps[n - 1];
    }

    static BinaryCounts of(double[] scores, boolean[] labels) {
        if (scores == null || labels == null) {
            throw new IllegalArgumentException("scores and labels must not be null");
        }
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("scores has " + scores.length + " entries but labels has "
                    + labels.length);
        }
        int nPos = 0;
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score at index " + i + " is NaN");
            }
            if (labels[i]) {
                nPos++;
            }
        }
        double[] pos = new double[nPos];
        double[] neg = new double[scores.length - nPos];
        int p = 0;
        int q = 0;
        for (int i = 0; i < scores.length; i++) {
            // "+ 0.0" folds -0.0 into 0.0 so both sort as one tie group.
            if (labels[i]) {
                pos[p++] = scores[i] + 0.0;
            } else {
                neg[q++] = scores[i] + 0.0;
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        int n = scores.length;
        double[] thr = new double[n];
        long[] tp = new long[n];
        long[] fp = new long[n];
        int i = pos.length - 1;
        int j = neg.length - 1;
        long tpc = 0;
        long fpc = 0;
        int k = 0;
        while (i >= 0 || j >= 0) {
            double t = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
            while (i >= 0 && pos[i] == t) {
                i--;
                tpc++;
            }
            while (j >= 0 && neg[j] == t) {
                j--;
                fpc++;
            }
            thr[k] = t;
            tp[k] = tpc;
            fp[k] = fpc;
            k++;
        }
        return new BinaryCounts(thr, tp, fp, k);
    }

    static double[] widen(float[] scores) {
        if (scores == null) {
            throw new IllegalArgumentException("scores must not be null");
        }
        double[] d = new double[scores.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = scores[i];
        }
        return d;
    }

    int size() {
        return thresholds.length;
    }

    /** Fails unless both classes are present; ROC quantities are undefined otherwise. */
    void requireBothClasses(String metric) {
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException(metric + " is undefined: only one class present ("
                    + positives + " positive, " + negatives + " negative labels)");
        }
    }

    /**
     * Area under the ROC curve from exact integer counts: every tie group contributes its negatives
     * times (positives strictly above + half of the tied positives), i.e. the trapezoid rule.
     */
    double auroc() {
        requireBothClasses("AUROC");
        long twiceArea = 0;
        long tpPrev = 0;
        long fpPrev = 0;
        for (int k = 0; k < thresholds.length; k++) {
            twiceArea = Math.addExact(twiceArea, Math.multiplyExact(fps[k] - fpPrev, tpPrev + tps[k]));
            tpPrev = tps[k];
            fpPrev = fps[k];
        }
        return twiceArea / (2.0 * positives * negatives);
    }
}
