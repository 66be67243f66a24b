package dev.aand.metrics;

/**
 * Normalised area under the PRO curve up to an FPR limit, with the points around the cut (useful
 * to check the interpolation).
 *
 * @param value trapezoid area of the PRO curve over [0, maxFpr] divided by maxFpr, in [0, 1]
 * @param maxFpr the FPR limit
 * @param pointsKept curve points with FPR <= maxFpr, including the leading (0, 0)
 * @param lastKeptFpr FPR of the last point with FPR <= maxFpr
 * @param lastKeptPro PRO of that point
 * @param firstBeyondFpr FPR of the first point beyond the limit (NaN if none)
 * @param firstBeyondPro PRO of that point (NaN if none)
 * @param proAtLimit PRO at FPR = maxFpr, linearly interpolated unless a point lies exactly there
 */
public record Aupro(double value, double maxFpr, int pointsKept, double lastKeptFpr, double lastKeptPro,
        double firstBeyondFpr, double firstBeyondPro, double proAtLimit) {}
