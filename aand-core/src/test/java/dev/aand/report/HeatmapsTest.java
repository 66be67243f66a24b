package dev.aand.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatmapsTest {
    @TempDir
    Path tmp;

    @Test
    void rgbImageReadsPlanarChannelsAndClamps() {
        int s = 2;
        float[] rgb = {
            10, 300, 0, 0, // R plane; 300 clamps to 255
            20, 0, -5, 0, // G plane; -5 clamps to 0
            30, 0, 0, 255}; // B plane
        BufferedImage img = Heatmaps.rgbImage(rgb, s);
        assertEquals(0x0A141E, img.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xFF0000, img.getRGB(1, 0) & 0xFFFFFF);
        assertEquals(0x000000, img.getRGB(0, 1) & 0xFFFFFF);
        assertEquals(0x0000FF, img.getRGB(1, 1) & 0xFFFFFF);
    }

    @Test
    void colorizeRunsFromBlueToRed() {
        float[] map = {0f, 0.5f, 1f, 2f};
        BufferedImage img = Heatmaps.colorize(map, 2, 0f, 1f);
        Color low = new Color(img.getRGB(0, 0));
        Color mid = new Color(img.getRGB(1, 0));
        Color high = new Color(img.getRGB(0, 1));
        assertTrue(low.getBlue() > low.getRed(), "low end is bluish: " + low);
        assertTrue(high.getRed() > high.getBlue(), "high end is reddish: " + high);
        assertTrue(mid.getGreen() > mid.getBlue() && mid.getGreen() > 150, "middle is green-ish: " + mid);
        assertEquals(img.getRGB(0, 1), img.getRGB(1, 1), "values above vmax clamp");
    }

    @Test
    void overlayBlendsHalfAndHalf() {
        int s = 4;
        float[] rgb = new float[3 * s * s]; // black image
        float[] map = new float[s * s];
        map[5] = 1f;
        BufferedImage heat = Heatmaps.colorize(map, s, 0f, 1f);
        BufferedImage over = Heatmaps.overlay(rgb, map, s, 0f, 1f);
        for (int i = 0; i < s * s; i++) {
            Color h = new Color(heat.getRGB(i % s, i / s));
            Color o = new Color(over.getRGB(i % s, i / s));
            assertEquals(h.getRed() / 2.0, o.getRed(), 1.0);
            assertEquals(h.getGreen() / 2.0, o.getGreen(), 1.0);
            assertEquals(h.getBlue() / 2.0, o.getBlue(), 1.0);
        }
        BufferedImage none = Heatmaps.overlay(rgb, map, s, 0f, 1f, 0f);
        assertEquals(0, none.getRGB(1, 1) & 0xFFFFFF, "alpha 0 leaves the image");
    }

    @Test
    void binaryMaskIsWhereMapExceedsThreshold() {
        float[] map = {0.1f, 0.6f, Float.NaN, 0.5f};
        BufferedImage m = Heatmaps.binaryMask(map, 0.5f, 2);
        assertEquals(0x000000, m.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xFFFFFF, m.getRGB(1, 0) & 0xFFFFFF);
        assertEquals(0x000000, m.getRGB(0, 1) & 0xFFFFFF, "NaN is not anomalous");
        assertEquals(0x000000, m.getRGB(1, 1) & 0xFFFFFF, "strictly greater than the threshold");
    }

    @Test
    void maskOutlineDrawsOnlyTheBoundaryAtTheShownResolution() {
        int s = 16;
        boolean[] gt = new boolean[s * s];
        for (int y = 4; y < 12; y++) {
            for (int x = 4; x < 12; x++) {
                gt[y * s + x] = true;
            }
        }
        BufferedImage base = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB); // 2x the mask
        BufferedImage out = Heatmaps.maskOutline(base, gt, s, Color.MAGENTA, 1);
        int magenta = Color.MAGENTA.getRGB() & 0xFFFFFF;
        assertEquals(magenta, out.getRGB(8, 8) & 0xFFFFFF, "corner of the scaled square");
        assertEquals(magenta, out.getRGB(16, 8) & 0xFFFFFF, "top edge");
        assertEquals(0, out.getRGB(16, 16) & 0xFFFFFF, "interior untouched");
        assertEquals(0, out.getRGB(7, 7) & 0xFFFFFF, "outside untouched");
        assertEquals(0, base.getRGB(8, 8) & 0xFFFFFF, "input image not modified");
        int count = 0;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                count += (out.getRGB(x, y) & 0xFFFFFF) == magenta ? 1 : 0;
            }
        }
        assertEquals(4 * 16 - 4, count, "a one-pixel ring around the 16x16 square");
    }

    @Test
    void wrongLengthsAreRejectedWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Heatmaps.colorize(new float[5], 2, 0f, 1f));
        assertTrue(e.getMessage().contains("map"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Heatmaps.rgbImage(new float[4], 2));
        assertTrue(e.getMessage().contains("rgb"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ReportData.ImageEntry(
                "a/b.png", "good", false, 0, 1, new float[12], new float[3], null, 2));
        assertTrue(e.getMessage().contains("a/b.png") && e.getMessage().contains("anomaly map"), e.getMessage());
    }

    @Test
    void pngAndJpegRoundTrip() throws Exception {
        BufferedImage img = Heatmaps.colorize(new float[] {0f, 0.3f, 0.6f, 1f}, 2, 0f, 1f);
        String uri = Png.dataUri(img);
        assertTrue(uri.startsWith("data:image/png;base64,"));
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1))));
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                assertEquals(img.getRGB(x, y), back.getRGB(x, y));
            }
        }
        Path file = tmp.resolve("sub/dir/x.png");
        Png.write(img, file);
        assertEquals(2, ImageIO.read(file.toFile()).getWidth());

        String jpg = Jpeg.dataUri(Heatmaps.scale(img, 32, 32), 0.9f);
        BufferedImage j = ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode(jpg.substring(jpg.indexOf(',') + 1))));
        assertEquals(32, j.getWidth());
    }

    @Test
    void sharedScaleUsesRobustPercentiles() {
        float[] a = new float[500];
        float[] b = new float[500];
        for (int i = 0; i < 500; i++) {
            a[i] = i;
            b[i] = 500 + i;
        }
        b[499] = 1e9f; // one hot pixel must not stretch the scale
        HeatmapScale s = HeatmapScale.fromPercentiles(List.of(a, b), 1.0, 99.9);
        assertEquals(10f, s.vmin(), 1f);
        assertEquals(998f, s.vmax(), 1f);
        HeatmapScale flat = HeatmapScale.fromPercentiles(List.of(new float[] {2f, 2f}), 1.0, 99.9);
        assertTrue(flat.vmax() > flat.vmin());
    }

    @Test
    void scoreFormatFollowsTheLargestMagnitude() {
        assertEquals("0.500", ScoreFormat.forValues(0.5, 0.93).format(0.5));
        assertEquals("1.015", ScoreFormat.forValues(1.0149, 0.5).format(1.0149));
        assertEquals("12.35", ScoreFormat.forValues(12.345, 3).format(12.345));
        assertEquals("0.01235", ScoreFormat.forValues(0.012345).format(0.012345));
        assertEquals("n/a", ScoreFormat.forValues(1).format(Double.NaN));
    }
}
