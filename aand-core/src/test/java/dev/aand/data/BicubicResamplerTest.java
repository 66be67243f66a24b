package dev.aand.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.aand.testing.Fixtures;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BicubicResamplerTest {
    private static float[] ramp(int h, int w) {
        float[] a = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                a[y * w + x] = 3 * x + 0.5f * y;
            }
        }
        return a;
    }

    /** The two passes written as the formula reads: every output sums its taps, k = 0, 1, ... */
    private static float[] naive(float[] src, int channels, int h, int w, int oh, int ow) {
        BicubicResampler.Taps tx = BicubicResampler.taps(w, ow);
        BicubicResampler.Taps ty = BicubicResampler.taps(h, oh);
        double[] mid = new double[channels * h * ow];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                int row = (c * h + y) * w;
                for (int x = 0; x < ow; x++) {
                    mid[(c * h + y) * ow + x] = sum(tx, x, i -> src[row + i]);
                }
            }
        }
        float[] out = new float[channels * oh * ow];
        for (int c = 0; c < channels; c++) {
            int plane = c * h;
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    int col = x;
                    out[(c * oh + y) * ow + x] = (float) sum(ty, y, i -> mid[(plane + i) * ow + col]);
                }
            }
        }
        return out;
    }

    /** Output {@code o}'s taps over the source samples {@code at(i)}, in order. */
    private static double sum(BicubicResampler.Taps t, int o, java.util.function.IntToDoubleFunction at) {
        double acc = 0;
        double[] w = t.weights()[o];
        for (int k = 0; k < w.length; k++) {
            acc += w[k] * at.applyAsDouble(t.start()[o] + k);
        }
        return acc;
    }

    @Test
    void rowByRowVerticalPassGivesTheFormulasBits() {
        java.util.Random r = new java.util.Random(11);
        int[][] sizes = {{240, 320, 64, 64}, {240, 320, 256, 256}, {17, 5, 33, 9}, {64, 64, 64, 32}};
        for (int[] z : sizes) {
            float[] src = new float[3 * z[0] * z[1]];
            for (int i = 0; i < src.length; i++) {
                src[i] = r.nextInt(256);
            }
            assertArrayEquals(naive(src, 3, z[0], z[1], z[2], z[3]),
                    BicubicResampler.resize(src, 3, z[0], z[1], z[2], z[3]), Arrays.toString(z));
        }
    }

    @Test
    void sameSizeIsIdentity() {
        float[] a = ramp(5, 7);
        assertArrayEquals(a, BicubicResampler.resize(a, 1, 5, 7, 5, 7), 1e-5f);
    }

    @Test
    void constantStaysConstantUpAndDown() {
        float[] c = new float[2 * 30 * 40];
        java.util.Arrays.fill(c, 123.25f);
        for (int[] size : new int[][] {{7, 9}, {64, 64}, {30, 13}}) {
            float[] r = BicubicResampler.resize(c, 2, 30, 40, size[0], size[1]);
            assertEquals(2 * size[0] * size[1], r.length);
            for (float v : r) {
                assertEquals(123.25f, v, 1e-4f);
            }
        }
    }

    @Test
    void rampStaysMonotone() {
        int h = 12;
        int w = 50;
        float[] a = ramp(h, w);
        for (int[] size : new int[][] {{5, 17}, {40, 160}}) {
            int oh = size[0];
            int ow = size[1];
            float[] r = BicubicResampler.resize(a, 1, h, w, oh, ow);
            for (int y = 0; y < oh; y++) {
                for (int x = 1; x < ow; x++) {
                    assertTrue(r[y * ow + x] > r[y * ow + x - 1], "row " + y + " col " + x);
                }
            }
            for (int x = 0; x < ow; x++) {
                for (int y = 1; y < oh; y++) {
                    assertTrue(r[y * ow + x] > r[(y - 1) * ow + x], "col " + x + " row " + y);
                }
            }
        }
    }

    @Test
    void upsamplingReproducesLinearFunctionsAwayFromBorders() {
        // The a = -0.5 cubic reproduces linear data exactly wherever its 4 taps fit inside.
        int in = 10;
        int out = 40;
        float[] line = new float[in];
        for (int i = 0; i < in; i++) {
            line[i] = 2 * i + 1;
        }
        float[] r = BicubicResampler.resize(line, 1, 1, in, 1, out);
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double src = (o + 0.5) * scale - 0.5;
            if (src >= 1 && src <= in - 2) {
                assertEquals(2 * src + 1, r[o], 1e-5, "output " + o);
            }
        }
    }

    @Test
    void downsamplingAveragesAFineCheckerboard() {
        // Antialiasing: a 1-px checkerboard of 0/200 shrunk 8x must come out near its mean,
        // not as an aliased pattern of 0s and 200s.
        int n = 64;
        float[] a = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = ((i / n + i % n) % 2) * 200f;
        }
        float[] r = BicubicResampler.resize(a, 1, n, n, 8, 8);
        for (float v : r) {
            assertEquals(100f, v, 5f);
        }
    }

    /**
     * PIL 9.4 made fixtures/08_official_import/input.png by resizing a 576x576 crop of a cookie
     * photo to 256x256 (BICUBIC). Its first 16 output rows read only the crop's first 39 rows,
     * stored here as a band: zero-padded below, the 8-bit path must give those rows bit for bit.
     */
    @Test
    void eightBitPathIsBitwisePil() {
        ImageLoader.Decoded band = ImageLoader.read(Fixtures.resource("dev/aand/data/pil/cookie_000_rows96-135.png"));
        int side = 576;
        assertEquals(side, band.width());
        float[] crop = new float[3 * side * side];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(band.rgb(), c * side * band.height(), crop, c * side * side, side * band.height());
        }
        float[] out = BicubicResampler.resizeUint8(crop, 3, side, side, 256, 256);
        float[] pil = ImageLoader.read(Fixtures.fixture("08_official_import/input.png")).rgb();
        int rows = 16;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < rows * 256; i++) {
                int k = c * 256 * 256 + i;
                assertEquals(pil[k], out[k], 0f, "channel " + c + " row " + i / 256 + " column " + i % 256);
            }
        }
        // The float path is PIL's arithmetic without the 8-bit rounding: within half a level before it.
        float[] smooth = BicubicResampler.resize(crop, 3, side, side, 256, 256);
        for (int i = 0; i < rows * 256; i++) {
            assertEquals(out[i], smooth[i], 1.0f, "float path at " + i);
        }
    }

    @Test
    void eightBitPathKeepsIntegersAndLeavesAnUnchangedSideAlone() {
        float[] ramp = ramp(6, 9);
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = Math.round(ramp[i] * 7) % 256;
        }
        float[] r = BicubicResampler.resizeUint8(ramp, 1, 6, 9, 6, 4);
        for (float v : r) {
            assertEquals(Math.rint(v), v, 0f);
            assertTrue(v >= 0 && v <= 255);
        }
        // Height unchanged: each row is resized on its own, as a 1-row image would be.
        for (int y = 0; y < 6; y++) {
            float[] row = BicubicResampler.resizeUint8(Arrays.copyOfRange(ramp, y * 9, y * 9 + 9), 1, 1, 9, 1, 4);
            assertArrayEquals(row, Arrays.copyOfRange(r, y * 4, y * 4 + 4), 0f, "row " + y);
        }
        float[] flat = new float[2 * 30 * 40];
        Arrays.fill(flat, 77f);
        for (float v : BicubicResampler.resizeUint8(flat, 2, 30, 40, 13, 64)) {
            assertEquals(77f, v, 0f);
        }
    }

    @Test
    void rejectsMismatchedArray() {
        assertThrows(IllegalArgumentException.class,
                () -> BicubicResampler.resize(new float[10], 1, 3, 3, 2, 2));
    }
}
