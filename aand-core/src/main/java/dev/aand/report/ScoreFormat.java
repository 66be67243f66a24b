package dev.aand.report;

import java.util.Locale;

/**
 * Formats anomaly scores with one number of decimals for the whole report, so a column of
 * scores lines up; the decimals follow the magnitude of the largest score (about 4 significant
 * digits there, but never more than 3 decimals for scores from 0.1 up). Scores are not fractions: their scale depends on the method.
 */
public record ScoreFormat(int decimals) {
    public ScoreFormat {
        if (decimals < 0 || decimals > 12) {
            throw new IllegalArgumentException("score decimals must be in [0, 12], got " + decimals);
        }
    }

    /** A format suited to values of the magnitude of {@code values} (non-finite ones ignored). */
    public static ScoreFormat forValues(double... values) {
        double max = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                max = Math.max(max, Math.abs(v));
            }
        }
        if (max == 0) {
            return new ScoreFormat(3);
        }
        int digitsBeforePoint = (int) Math.floor(Math.log10(max)) + 1;
        if (max >= 0.1) {
            // Scores of order 0.1..1 read like fractions: 3 decimals, as the metrics.
            digitsBeforePoint = Math.max(1, digitsBeforePoint);
        }
        return new ScoreFormat(Math.max(0, Math.min(12, 4 - digitsBeforePoint)));
    }

    /** {@code v} with the fixed decimals; NaN as "n/a". */
    public String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
