package dev.aand.report;

import dev.aand.metrics.Evaluation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class CurvePlotTest {
    @Test
    void rendersRequestedSizeWithTheSeriesInside() {
        CurvePlot plot = new CurvePlot("t", "x", "y", 0, 1, 0, 1)
                .add("half", new double[] {0, 1}, new double[] {0.5, 0.5}, Color.RED, false);
        BufferedImage img = plot.render(480, 360);
        assertEquals(480, img.getWidth());
        assertEquals(360, img.getHeight());
        // Red pixels left of the legend form one horizontal band halfway down the plot area.
        int minY = Integer.MAX_VALUE;
        int maxY = -1;
        int count = 0;
        for (int y = 0; y < 360; y++) {
            for (int x = 0; x < 240; x++) {
                Color c = new Color(img.getRGB(x, y));
                if (c.getRed() > 200 && c.getGreen() < 60 && c.getBlue() < 60) {
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                    count++;
                }
            }
        }
        assertTrue(count > 150, "the red line is drawn (" + count + " px)");
        assertTrue(minY > 120 && maxY < 240, "the line sits mid-height: rows " + minY + ".." + maxY);

        BufferedImage hi = plot.render(400, 300, 2);
        assertEquals(800, hi.getWidth());
        assertEquals(600, hi.getHeight());
    }

    @Test
    void niceTicksAreRound() {
        assertEquals(0.2, CurvePlot.niceStep(1.0 / 6), 1e-12);
        assertEquals(0.05, CurvePlot.niceStep(0.3 / 6), 1e-12);
        assertEquals(1.0, CurvePlot.niceStep(0.9), 1e-12);
    }

    @Test
    void proCurveIsCutAtTheFprLimitByInterpolation() {
        ReportData.Curve c = new ReportData.Curve(new double[] {0, 0.2, 0.4, 1}, new double[] {0, 0.6, 0.8, 1});
        ReportData.Curve t = ReportCharts.truncate(c, 0.3);
        assertArrayEquals(new double[] {0, 0.2, 0.3}, t.x(), 1e-12);
        assertArrayEquals(new double[] {0, 0.6, 0.7}, t.y(), 1e-12);
        ReportData.Curve rev = new ReportData.Curve(new double[] {1, 0.4, 0.2, 0}, new double[] {1, 0.8, 0.6, 0});
        assertArrayEquals(t.x(), ReportCharts.truncate(rev, 0.3).x(), 1e-12);
    }

    @Test
    void rocChartHasLegendValuesAndDiagonal() {
        Evaluation.Summary m = new Evaluation.Summary(0.9, Double.NaN, Double.NaN, 0.8, 0.5, 10, 5);
        ReportData.Curves curves = new ReportData.Curves(
                new ReportData.Curve(new double[] {0, 0, 1}, new double[] {0, 1, 1}), null, null);
        BufferedImage img = ReportCharts.roc(curves, m);
        assertEquals(ReportCharts.WIDTH, img.getWidth());
        assertEquals(null, ReportCharts.pro(curves, m), "no PRO chart without a PRO curve");
        // The dashed grey chance line passes through the centre region of the plot.
        int grey = 0;
        for (int y = 150; y < 230; y++) {
            for (int x = 180; x < 320; x++) {
                Color c = new Color(img.getRGB(x, y));
                if (Math.abs(c.getRed() - c.getBlue()) < 20 && c.getRed() < 200 && c.getRed() > 100) {
                    grey++;
                }
            }
        }
        assertTrue(grey > 20, "chance diagonal drawn (" + grey + " grey px)");
    }
}
