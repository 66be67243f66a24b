package dev.aand.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ForegroundMaskTest {
    private static final int H = 96, W = 96;

    /** Gray background with a bright 48x48 square in the middle. */
    private static float[] squareImage(float background, float square) {
        float[] rgb = new float[3 * H * W];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    boolean in = y >= 24 && y < 72 && x >= 24 && x < 72;
                    rgb[c * H * W + y * W + x] = in ? square : background;
                }
            }
        }
        return rgb;
    }

    private static int count(float[] m) {
        int n = 0;
        for (float v : m) {
            assertTrue(v == 0f || v == 1f, "mask must be binary");
            if (v == 1f) n++;
        }
        return n;
    }

    /**
     * The blurred edge crosses the midpoint threshold on the square's border; only the corners
     * get rounded (sigma 8), so the mask holds the square's core and nothing beyond its border.
     */
    private static void assertSquareLike(float[] m) {
        int n = count(m);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean core = y >= 32 && y < 64 && x >= 32 && x < 64;
                boolean outside = y < 23 || y > 72 || x < 23 || x > 72;
                if (core) assertEquals(1f, m[y * W + x], "core " + y + "," + x);
                if (outside) assertEquals(0f, m[y * W + x], "outside " + y + "," + x);
            }
        }
        assertTrue(n > 0.85 * 48 * 48 && n <= 50 * 50, "area " + n);
    }

    @Test
    void aboveSelectsTheBrightSquare() {
        float[] m = ForegroundMask.compute(squareImage(20, 220), H, W, ForegroundRule.parse("above:120"));
        assertEquals(1f, m[48 * W + 48]);
        assertEquals(0f, m[2 * W + 2]);
        assertSquareLike(m);
    }

    @Test
    void belowSelectsTheDarkSquareInclusively() {
        float[] m = ForegroundMask.compute(squareImage(230, 10), H, W, ForegroundRule.parse("below:120"));
        assertEquals(1f, m[48 * W + 48]);
        assertEquals(0f, m[5 * W + 90]);
        assertSquareLike(m);
        // "<=" : a flat image exactly at the threshold is all foreground.
        float[] flat = new float[3 * H * W];
        java.util.Arrays.fill(flat, 150f);
        assertEquals(H * W, count(ForegroundMask.compute(flat, H, W, ForegroundRule.below(150))));
        assertEquals(0, count(ForegroundMask.compute(flat, H, W, ForegroundRule.above(150))));
    }

    @Test
    void shapeRulesIgnoreContent() {
        float[] img = squareImage(0, 0);
        float[] disc = ForegroundMask.compute(img, H, W, ForegroundRule.DISC);
        double r = 0.45 * H;
        assertEquals(Math.PI * r * r, count(disc), 0.03 * Math.PI * r * r);
        assertEquals(1f, disc[48 * W + 48]);
        assertEquals(0f, disc[0]);
        float[] rect = ForegroundMask.compute(img, H, W, ForegroundRule.RECT);
        assertEquals(0.7 * H * 0.7 * W, count(rect), 2 * H);
        assertEquals(0f, rect[10 * W + 48]);
        assertEquals(1f, rect[20 * W + 20]);
        assertEquals(H * W, count(ForegroundMask.compute(img, H, W, ForegroundRule.WHOLE)));
    }

    @Test
    void grayscaleUsesRec601Weights() {
        float[] rgb = {100, 200, 50};
        assertEquals(0.299f * 100 + 0.587f * 200 + 0.114f * 50, ForegroundMask.grayscale(rgb, 1, 1)[0], 1e-4f);
    }

    @Test
    void blurKeepsConstantsAndPreservesMass() {
        int h = 20, w = 13; // smaller than the 32 px kernel radius: mirrored several times
        float[] flat = new float[h * w];
        java.util.Arrays.fill(flat, 77f);
        for (float v : ForegroundMask.gaussianBlur(flat, h, w, 8)) assertEquals(77f, v, 1e-3f);
        float[] spike = new float[64 * 64];
        spike[32 * 64 + 32] = 1000f;
        float[] b = ForegroundMask.gaussianBlur(spike, 64, 64, 2);
        double sum = 0;
        for (float v : b) sum += v;
        assertEquals(1000.0, sum, 0.1);
        assertEquals(b[32 * 64 + 30], b[32 * 64 + 34], 1e-4f);
        assertEquals(b[30 * 64 + 32], b[32 * 64 + 30], 1e-4f);
        assertEquals(1000 / (2 * Math.PI * 4), b[32 * 64 + 32], 1.0);
    }

    @Test
    void parseAndFormatRoundTrip() {
        for (String s : new String[] {"whole", "above:120", "below:150", "disc", "rect", "above:12.5"}) {
            assertEquals(s, ForegroundRule.parse(s).format());
        }
        assertEquals(ForegroundRule.above(50), ForegroundRule.parse(" Above:50 "));
        assertInstanceOf(ForegroundRule.Below.class, ForegroundRule.parse("below:0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ForegroundRule.parse("circle"));
        assertTrue(e.getMessage().contains("circle") && e.getMessage().contains("above:T"));
        assertThrows(IllegalArgumentException.class, () -> ForegroundRule.parse("above:x"));
        assertThrows(IllegalArgumentException.class, () -> ForegroundRule.parse("below:300"));
        assertThrows(IllegalArgumentException.class, () -> ForegroundRule.parse("above:"));
    }

    @Test
    void defaultTableMatchesTheSpec() {
        assertEquals("whole", ForegroundRules.defaultFor("mvtec", "carpet").format());
        assertEquals("below:150", ForegroundRules.defaultFor("MVTec AD", "screw").format());
        assertEquals("above:50", ForegroundRules.defaultFor("mvtec_ad", "metal_nut").format());
        assertEquals("disc", ForegroundRules.defaultFor("mvtec", "cable").format());
        assertEquals("disc", ForegroundRules.defaultFor("mvtec", "bottle").format());
        assertEquals("above:150", ForegroundRules.defaultFor("visa", "macaroni2").format());
        assertEquals("above:100", ForegroundRules.defaultFor("VisA", "pipe_fryum").format());
        assertEquals("above:50", ForegroundRules.defaultFor("visa", "pcb4").format());
        assertEquals("below:100", ForegroundRules.defaultFor("visa", "capsules").format());
        assertEquals("rect", ForegroundRules.defaultFor("mvtec3d", "foam").format());
        assertEquals("rect", ForegroundRules.defaultFor("MVTec3D-RGB", "tire").format());
        assertEquals("above:50", ForegroundRules.defaultFor("mvtec_3d", "cookie").format());
        assertEquals("above:120", ForegroundRules.defaultFor("cookie", "cookie").format());
        assertEquals("above:120", ForegroundRules.defaultFor(null, "cookie").format());
        assertEquals("whole", ForegroundRules.defaultFor("visa", "carpet").format());
        assertEquals("whole", ForegroundRules.defaultFor("custom", "widget").format());
        assertTrue(ForegroundRules.find("custom", "widget").isEmpty());
    }
}
