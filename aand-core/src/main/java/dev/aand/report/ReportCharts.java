package dev.aand.report;

import dev.aand.metrics.Evaluation;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/** The two standard charts of a report: ROC (image and pixel level) and PRO up to FPR 0.3. */
public final class ReportCharts {
    /** The FPR limit of the PRO curve shown and integrated (the usual MVTec AD convention). */
    public static final double PRO_FPR_LIMIT = 0.3;
    public static final int WIDTH = 480;
    public static final int HEIGHT = 360;

    private static final Color IMAGE_COLOR = new Color(0x2563EB);
    private static final Color PIXEL_COLOR = new Color(0xDC2626);
    private static final Color PRO_COLOR = new Color(0x7C3AED);
    private static final Color CHANCE_COLOR = new Color(0x9CA3AF);
    private static final Color NORMAL_COLOR = new Color(0x16A34A);
    private static final Color THRESHOLD_COLOR = new Color(0x374151);
    private static final int HIST_BINS = 24;

    private ReportCharts() {}

    /** {@link #rocPlot} rendered at {@link #WIDTH} x {@link #HEIGHT}. */
    public static BufferedImage roc(ReportData.Curves curves, Evaluation.Summary metrics) {
        return rocPlot(curves, metrics).render(WIDTH, HEIGHT);
    }

    /** {@link #proPlot} rendered at {@link #WIDTH} x {@link #HEIGHT}; null without a PRO curve. */
    public static BufferedImage pro(ReportData.Curves curves, Evaluation.Summary metrics) {
        CurvePlot plot = proPlot(curves, metrics);
        return plot == null ? null : plot.render(WIDTH, HEIGHT);
    }

    /** {@link #scoreHistogramPlot} rendered at {@link #WIDTH} x {@link #HEIGHT}. */
    public static BufferedImage scoreHistogram(List<ReportData.ImageEntry> images, ScoreFormat sf) {
        return scoreHistogramPlot(images, sf).render(WIDTH, HEIGHT);
    }

    /** ROC chart with whichever of the image/pixel curves exist, plus the chance diagonal. */
    public static CurvePlot rocPlot(ReportData.Curves curves, Evaluation.Summary metrics) {
        CurvePlot plot = new CurvePlot("ROC curve", "False positive rate", "True positive rate", 0, 1, 0, 1);
        plot.add("Chance", new double[] {0, 1}, new double[] {0, 1}, CHANCE_COLOR, true);
        if (curves.imageRoc() != null) {
            plot.add("Image level (AUROC = " + frac(metrics.imageAuroc()) + ")",
                    curves.imageRoc().x(), curves.imageRoc().y(), IMAGE_COLOR, false);
        }
        if (curves.pixelRoc() != null) {
            plot.add("Pixel level (AUROC = " + frac(metrics.pixelAuroc()) + ")",
                    curves.pixelRoc().x(), curves.pixelRoc().y(), PIXEL_COLOR, false);
        }
        return plot;
    }

    /**
     * Histogram of image scores, normal and anomalous images as separate step lines, with the
     * decision threshold (that of the first image) as a dashed vertical line.
     */
    public static CurvePlot scoreHistogramPlot(List<ReportData.ImageEntry> images, ScoreFormat sf) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("score histogram needs at least one image");
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (ReportData.ImageEntry e : images) {
            if (Double.isFinite(e.score())) {
                lo = Math.min(lo, e.score());
                hi = Math.max(hi, e.score());
            }
        }
        double threshold = images.get(0).threshold();
        if (Double.isFinite(threshold)) {
            lo = Math.min(lo, threshold);
            hi = Math.max(hi, threshold);
        }
        if (!(hi > lo)) {
            lo = Double.isFinite(lo) ? lo - 0.5 : 0;
            hi = lo + 1;
        }
        double pad = (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
        int bins = HIST_BINS;
        int[] normal = new int[bins];
        int[] anomalous = new int[bins];
        for (ReportData.ImageEntry e : images) {
            if (!Double.isFinite(e.score())) {
                continue;
            }
            int b = (int) Math.min(bins - 1, Math.max(0, (e.score() - lo) / (hi - lo) * bins));
            (e.anomalous() ? anomalous : normal)[b]++;
        }
        int maxCount = 1;
        for (int b = 0; b < bins; b++) {
            maxCount = Math.max(maxCount, Math.max(normal[b], anomalous[b]));
        }
        // Headroom above the tallest bar keeps the legend clear of the data.
        double yMax = Math.ceil(maxCount * 1.4);
        CurvePlot plot = new CurvePlot("Image score distribution", "Anomaly score", "Images", lo, hi, 0, yMax)
                .legendAt(CurvePlot.Corner.UPPER_RIGHT)
                .yTickStep(Math.max(1, CurvePlot.niceStep(yMax / 6)));
        plot.addFilled("Normal", stepX(lo, hi, bins), stepY(normal), NORMAL_COLOR);
        plot.addFilled("Anomalous", stepX(lo, hi, bins), stepY(anomalous), PIXEL_COLOR);
        if (Double.isFinite(threshold)) {
            plot.add("Threshold " + sf.format(threshold), new double[] {threshold, threshold},
                    new double[] {0, yMax}, THRESHOLD_COLOR, true);
        }
        return plot;
    }

    private static double[] stepX(double lo, double hi, int bins) {
        double[] x = new double[2 * bins + 2];
        double w = (hi - lo) / bins;
        x[0] = lo;
        for (int b = 0; b < bins; b++) {
            x[1 + 2 * b] = lo + b * w;
            x[2 + 2 * b] = lo + (b + 1) * w;
        }
        x[x.length - 1] = hi;
        return x;
    }

    private static double[] stepY(int[] counts) {
        double[] y = new double[2 * counts.length + 2];
        for (int b = 0; b < counts.length; b++) {
            y[1 + 2 * b] = counts[b];
            y[2 + 2 * b] = counts[b];
        }
        return y;
    }

    /** PRO chart over FPR [0, 0.3]; null when there is no PRO curve. */
    public static CurvePlot proPlot(ReportData.Curves curves, Evaluation.Summary metrics) {
        if (curves.pro() == null) {
            return null;
        }
        ReportData.Curve c = truncate(curves.pro(), PRO_FPR_LIMIT);
        CurvePlot plot = new CurvePlot("Per-region overlap (PRO)", "False positive rate",
                "PRO", 0, PRO_FPR_LIMIT, 0, 1);
        plot.add("PRO (AUPRO@0.3 = " + frac(metrics.pixelAupro()) + ")", c.x(), c.y(), PRO_COLOR, false);
        return plot;
    }

    /**
     * The part of the curve with x <= limit, ending exactly at the limit by linear interpolation
     * when the curve goes beyond it. Descending curves are read in reverse.
     */
    static ReportData.Curve truncate(ReportData.Curve c, double limit) {
        double[] x = c.x();
        double[] y = c.y();
        int n = x.length;
        boolean reversed = n > 1 && x[0] > x[n - 1];
        double[] ox = new double[n + 1];
        double[] oy = new double[n + 1];
        int m = 0;
        for (int k = 0; k < n; k++) {
            int i = reversed ? n - 1 - k : k;
            if (x[i] <= limit) {
                ox[m] = x[i];
                oy[m] = y[i];
                m++;
                continue;
            }
            if (m > 0 && ox[m - 1] < limit) {
                double f = (limit - ox[m - 1]) / (x[i] - ox[m - 1]);
                ox[m] = limit;
                oy[m] = oy[m - 1] + f * (y[i] - oy[m - 1]);
                m++;
            }
            break;
        }
        if (m == 0) {
            return new ReportData.Curve(new double[] {0}, new double[] {0});
        }
        return new ReportData.Curve(java.util.Arrays.copyOf(ox, m), java.util.Arrays.copyOf(oy, m));
    }

    static String frac(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
