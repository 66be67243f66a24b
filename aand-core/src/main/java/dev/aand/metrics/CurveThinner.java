package dev.aand.metrics;

import java.util.Arrays;

/**
 * Reduces a monotone curve (x and y never decrease) to at most {@code maxPoints} points for
 * display: a point is kept once it has moved a fixed fraction of the x or y span away from the last
 * kept point; the first and the last point are always kept. Metrics are never computed from the
 * thinned points.
 */
final class CurveThinner {
    static final int ALL = Integer.MAX_VALUE;

    private final double dx;
    private final double dy;
    private double[] x = new double[64];
    private double[] y = new double[64];
    private double[] t = new double[64];
    private int n;
    private boolean pending;
    private double px;
    private double py;
    private double pt;

    CurveThinner(int maxPoints, double xSpan, double ySpan) {
        if (maxPoints < 4) {
            throw new IllegalArgumentException("maxPoints must be at least 4, got " + maxPoints);
        }
        // Each kept point (but the first and last) advances x by >= dx or y by >= dy, so at most
        // 2*steps + 2 points survive.
        int steps = (maxPoints - 2) / 2;
        boolean all = maxPoints == ALL;
        this.dx = all ? 0 : xSpan / steps;
        this.dy = all ? 0 : ySpan / steps;
    }

    void add(double xv, double yv, double tv) {
        if (n == 0 || xv - x[n - 1] >= dx || yv - y[n - 1] >= dy) {
            append(xv, yv, tv);
            pending = false;
        } else {
            pending = true;
            px = xv;
            py = yv;
            pt = tv;
        }
    }

    /** Keeps the last offered point, then adds {@code (xv, yv, tv)} unconditionally. */
    void addFinal(double xv, double yv, double tv) {
        flush();
        append(xv, yv, tv);
    }

    /** Keeps the last offered point. */
    void flush() {
        if (pending) {
            append(px, py, pt);
            pending = false;
        }
    }

    private void append(double xv, double yv, double tv) {
        if (n == x.length) {
            x = Arrays.copyOf(x, n * 2);
            y = Arrays.copyOf(y, n * 2);
            t = Arrays.copyOf(t, n * 2);
        }
        x[n] = xv;
        y[n] = yv;
        t[n] = tv;
        n++;
    }

    double[] xs() {
        flush();
        return Arrays.copyOf(x, n);
    }

    double[] ys() {
        flush();
        return Arrays.copyOf(y, n);
    }

    double[] thresholds() {
        flush();
        return Arrays.copyOf(t, n);
    }
}
