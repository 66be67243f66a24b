package dev.aand.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart (axes, ticks, grid, labels, title, legend) rendered with Java2D; enough
 * for ROC and PRO curves without a charting dependency.
 */
public final class CurvePlot {
    static {
        Headless.ensure();
    }

    /** One line of the chart; a filled one also shades the area down to the x axis. */
    public record Series(String label, double[] x, double[] y, Color color, boolean dashed, boolean filled) {
        public Series {
            if (x == null || y == null || x.length != y.length) {
                throw new IllegalArgumentException("series '" + label + "': x and y must have equal length");
            }
        }
    }

    private static final Color GRID = new Color(0xE3E6EA);
    private static final Color AXIS = new Color(0x4B5563);
    private static final Color TEXT = new Color(0x1F2937);

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final double xMin;
    private final double xMax;
    private final double yMin;
    private final double yMax;
    private final List<Series> series = new ArrayList<>();
    private Corner legendCorner = Corner.LOWER_RIGHT;
    private double xTickStep = Double.NaN;
    private double yTickStep = Double.NaN;

    /** Where the legend box sits inside the plot area. */
    public enum Corner { LOWER_RIGHT, UPPER_RIGHT, UPPER_LEFT, LOWER_LEFT }

    public CurvePlot(String title, String xLabel, String yLabel, double xMin, double xMax, double yMin, double yMax) {
        if (!(xMax > xMin) || !(yMax > yMin)) {
            throw new IllegalArgumentException("plot '" + title + "': axis ranges must be increasing");
        }
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.xMin = xMin;
        this.xMax = xMax;
        this.yMin = yMin;
        this.yMax = yMax;
    }

    /** Adds a line; a null or empty label keeps it out of the legend. Returns this. */
    public CurvePlot add(String label, double[] x, double[] y, Color color, boolean dashed) {
        series.add(new Series(label, x, y, color, dashed, false));
        return this;
    }

    /** Adds a solid line with the area below it lightly shaded (histograms). Returns this. */
    public CurvePlot addFilled(String label, double[] x, double[] y, Color color) {
        series.add(new Series(label, x, y, color, false, true));
        return this;
    }

    /** Puts the legend in {@code corner} (default lower right, free space for ROC/PRO). Returns this. */
    public CurvePlot legendAt(Corner corner) {
        this.legendCorner = corner;
        return this;
    }

    /** Fixed x tick spacing instead of an automatic round one. Returns this. */
    public CurvePlot xTickStep(double step) {
        this.xTickStep = checkStep(step);
        return this;
    }

    /** Fixed y tick spacing (e.g. 1 for counts). Returns this. */
    public CurvePlot yTickStep(double step) {
        this.yTickStep = checkStep(step);
        return this;
    }

    private double checkStep(double step) {
        if (!(step > 0) || Double.isInfinite(step)) {
            throw new IllegalArgumentException("plot '" + title + "': tick step must be positive, got " + step);
        }
        return step;
    }

    /** Renders the chart as an opaque RGB image of the given size. */
    public BufferedImage render(int width, int height) {
        return render(width, height, 1);
    }

    /**
     * Renders a chart laid out for width x height logical pixels into an image {@code pixelScale}
     * times larger: a 2x image shown at the logical size stays sharp on high-density screens.
     */
    public BufferedImage render(int width, int height, double pixelScale) {
        if (width < 160 || height < 120) {
            throw new IllegalArgumentException("plot '" + title + "': need at least 160x120 px, got " + width + "x" + height);
        }
        if (!(pixelScale >= 1 && pixelScale <= 4)) {
            throw new IllegalArgumentException("plot '" + title + "': pixel scale must be in [1, 4], got " + pixelScale);
        }
        BufferedImage img = new BufferedImage((int) Math.round(width * pixelScale),
                (int) Math.round(height * pixelScale), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.scale(pixelScale, pixelScale);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            draw(g, width, height);
        } finally {
            g.dispose();
        }
        return img;
    }

    private void draw(Graphics2D g, int width, int height) {
        Font titleFont = new Font("SansSerif", Font.BOLD, 15);
        Font labelFont = new Font("SansSerif", Font.PLAIN, 13);
        Font tickFont = new Font("SansSerif", Font.PLAIN, 11);

        double xStep = Double.isNaN(xTickStep) ? niceStep((xMax - xMin) / 6) : xTickStep;
        double yStep = Double.isNaN(yTickStep) ? niceStep((yMax - yMin) / 6) : yTickStep;
        g.setFont(tickFont);
        FontMetrics tfm = g.getFontMetrics();
        int yTickWidth = 0;
        for (double v : ticks(yMin, yMax, yStep)) {
            yTickWidth = Math.max(yTickWidth, tfm.stringWidth(fmt(v, yStep)));
        }
        int left = 14 + 18 + yTickWidth + 8;
        int right = 18;
        int top = 40;
        int bottom = 14 + 18 + tfm.getHeight() + 6;
        int pw = width - left - right;
        int ph = height - top - bottom;

        // Grid and ticks.
        g.setStroke(new BasicStroke(1f));
        for (double v : ticks(xMin, xMax, xStep)) {
            double px = left + (v - xMin) / (xMax - xMin) * pw;
            g.setColor(GRID);
            g.draw(new java.awt.geom.Line2D.Double(px, top, px, top + ph));
            g.setColor(AXIS);
            g.draw(new java.awt.geom.Line2D.Double(px, top + ph, px, top + ph + 4));
            String s = fmt(v, xStep);
            g.setColor(TEXT);
            g.drawString(s, (float) (px - tfm.stringWidth(s) / 2.0), top + ph + 6 + tfm.getAscent());
        }
        for (double v : ticks(yMin, yMax, yStep)) {
            double py = top + ph - (v - yMin) / (yMax - yMin) * ph;
            g.setColor(GRID);
            g.draw(new java.awt.geom.Line2D.Double(left, py, left + pw, py));
            g.setColor(AXIS);
            g.draw(new java.awt.geom.Line2D.Double(left - 4, py, left, py));
            String s = fmt(v, yStep);
            g.setColor(TEXT);
            g.drawString(s, left - 7 - tfm.stringWidth(s), (float) (py + tfm.getAscent() / 2.0 - 1));
        }

        // Series, clipped to the plot area.
        Shape oldClip = g.getClip();
        g.clip(new Rectangle2D.Double(left - 1, top - 1, pw + 2, ph + 2));
        for (Series s : series) {
            Path2D.Double path = new Path2D.Double();
            boolean started = false;
            for (int i = 0; i < s.x().length; i++) {
                double xv = s.x()[i];
                double yv = s.y()[i];
                if (!Double.isFinite(xv) || !Double.isFinite(yv)) {
                    continue;
                }
                double px = left + (xv - xMin) / (xMax - xMin) * pw;
                double py = top + ph - (yv - yMin) / (yMax - yMin) * ph;
                if (started) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    started = true;
                }
            }
            if (s.filled() && started) {
                Path2D.Double area = new Path2D.Double(path);
                Point2DEnd end = Point2DEnd.of(path);
                area.lineTo(end.x(), top + ph);
                area.lineTo(end.startX(), top + ph);
                area.closePath();
                Color c = s.color();
                g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 56));
                g.fill(area);
            }
            g.setColor(s.color());
            g.setStroke(s.dashed()
                    ? new BasicStroke(1.3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {5f, 4f}, 0f)
                    : new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(path);
        }
        g.setClip(oldClip);

        // Axes frame.
        g.setColor(AXIS);
        g.setStroke(new BasicStroke(1.2f));
        g.draw(new Rectangle2D.Double(left, top, pw, ph));

        // Title and axis labels.
        g.setFont(titleFont);
        FontMetrics fm = g.getFontMetrics();
        g.setColor(TEXT);
        g.drawString(title, (float) (left + (pw - fm.stringWidth(title)) / 2.0), 14 + fm.getAscent());
        g.setFont(labelFont);
        fm = g.getFontMetrics();
        g.drawString(xLabel, (float) (left + (pw - fm.stringWidth(xLabel)) / 2.0), height - 10);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        // After rotating, x runs upward: -y of the label centre, y is the distance from the left edge.
        g.drawString(yLabel, (float) (-(top + ph / 2.0) - fm.stringWidth(yLabel) / 2.0), 12 + fm.getAscent());
        g.setTransform(saved);

        drawLegend(g, left, top, pw, ph);
    }

    private void drawLegend(Graphics2D g, int left, int top, int pw, int ph) {
        List<Series> shown = new ArrayList<>();
        for (Series s : series) {
            if (s.label() != null && !s.label().isEmpty()) {
                shown.add(s);
            }
        }
        if (shown.isEmpty()) {
            return;
        }
        g.setFont(new Font("SansSerif", Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int swatch = 22;
        int pad = 8;
        int lineH = fm.getHeight() + 2;
        int textW = 0;
        for (Series s : shown) {
            textW = Math.max(textW, fm.stringWidth(s.label()));
        }
        int boxW = pad + swatch + 6 + textW + pad;
        int boxH = pad + lineH * shown.size() + pad - 2;
        boolean rightSide = legendCorner == Corner.LOWER_RIGHT || legendCorner == Corner.UPPER_RIGHT;
        boolean lowerSide = legendCorner == Corner.LOWER_RIGHT || legendCorner == Corner.LOWER_LEFT;
        int bx = rightSide ? left + pw - boxW - 8 : left + 8;
        int by = lowerSide ? top + ph - boxH - 8 : top + 8;
        g.setColor(new Color(255, 255, 255, 235));
        g.fillRoundRect(bx, by, boxW, boxH, 6, 6);
        g.setColor(new Color(0xC9CED6));
        g.setStroke(new BasicStroke(1f));
        g.drawRoundRect(bx, by, boxW, boxH, 6, 6);
        int y = by + pad;
        for (Series s : shown) {
            int cy = y + lineH / 2;
            g.setColor(s.color());
            g.setStroke(s.dashed()
                    ? new BasicStroke(1.3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {5f, 4f}, 0f)
                    : new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new java.awt.geom.Line2D.Double(bx + pad, cy, bx + pad + swatch, cy));
            g.setColor(TEXT);
            g.drawString(s.label(), bx + pad + swatch + 6, cy + fm.getAscent() / 2 - 1);
            y += lineH;
        }
    }

    // First and last x of a path, to close the shaded area along the x axis.
    private record Point2DEnd(double startX, double x) {
        static Point2DEnd of(Path2D path) {
            double[] c = new double[6];
            double first = Double.NaN;
            double last = Double.NaN;
            for (java.awt.geom.PathIterator it = path.getPathIterator(null); !it.isDone(); it.next()) {
                it.currentSegment(c);
                if (Double.isNaN(first)) {
                    first = c[0];
                }
                last = c[0];
            }
            return new Point2DEnd(first, last);
        }
    }

    // 1, 2 or 5 times a power of ten: tick labels stay short and round.
    static double niceStep(double raw) {
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / mag;
        double nice = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
        return nice * mag;
    }

    private static List<Double> ticks(double min, double max, double step) {
        List<Double> out = new ArrayList<>();
        double first = Math.ceil(min / step - 1e-9) * step;
        for (int i = 0; ; i++) {
            double v = first + i * step;
            if (v > max + step * 1e-9) {
                break;
            }
            out.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
        }
        return out;
    }

    private static String fmt(double v, double step) {
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
