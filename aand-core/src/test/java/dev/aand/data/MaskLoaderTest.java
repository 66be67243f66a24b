package dev.aand.data;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskLoaderTest {
    @TempDir
    Path dir;

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean v : b) {
            n += v ? 1 : 0;
        }
        return n;
    }

    @Test
    void binarisesAndResizesNearest() {
        Path img = TestImages.rgb(dir.resolve("img.png"), 8, 4);
        // Right half anomalous; a mid grey 100 column is below the cut.
        Path mask = TestImages.gray(dir.resolve("m.png"), 8, 4, (x, y) -> x >= 4 ? 255 : x == 0 ? 100 : 0);
        boolean[] m = MaskLoader.load(mask, img, 4);
        assertEquals(16, m.length);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(x >= 2, m[y * 4 + x], "x=" + x + " y=" + y);
            }
        }
        MaskLoader.Binary full = MaskLoader.read(mask);
        assertEquals(16, count(full.pixels()));
    }

    @Test
    void upsamplingKeepsAreaFraction() {
        Path img = TestImages.rgb(dir.resolve("img.png"), 3, 3);
        Path mask = TestImages.gray(dir.resolve("m.png"), 3, 3, (x, y) -> x == 1 && y == 1 ? 255 : 0);
        boolean[] m = MaskLoader.load(mask, img, 9);
        assertEquals(9, count(m));
        assertTrue(m[4 * 9 + 4]);
        assertFalse(m[0]);
    }

    @Test
    void sizeMismatchNamesBothFilesAndSizes() {
        Path img = TestImages.rgb(dir.resolve("img.png"), 10, 6);
        Path mask = TestImages.gray(dir.resolve("img_mask.png"), 6, 10, (x, y) -> 0);
        DataException e = assertThrows(DataException.class, () -> MaskLoader.load(mask, img, 4));
        String msg = e.getMessage();
        assertTrue(msg.contains(img.toString()) && msg.contains(mask.toString()), msg);
        assertTrue(msg.contains("6x10") && msg.contains("10x6"), msg);
    }

    @Test
    void zeroOneLabelMasksAreNotErased() {
        Path mask = TestImages.gray(dir.resolve("label.png"), 4, 4, (x, y) -> y == 0 ? 1 : 0);
        assertEquals(4, count(MaskLoader.read(mask).pixels()));
    }

    @Test
    void paletteAndRgbMasks() {
        byte[] lut = {0, (byte) 255};
        BufferedImage pal = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_BINARY,
                new IndexColorModel(1, 2, lut, lut, lut));
        pal.getRaster().setSample(3, 1, 0, 1);
        assertEquals(1, count(MaskLoader.read(TestImages.write(pal, dir.resolve("p.png"))).pixels()));

        BufferedImage rgb = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xff0000);
        rgb.setRGB(1, 0, 0x202020);
        assertEquals(1, count(MaskLoader.read(TestImages.write(rgb, dir.resolve("c.png"))).pixels()));
    }

    @Test
    void corruptMaskNamesTheFile() throws Exception {
        Path img = TestImages.rgb(dir.resolve("img.png"), 4, 4);
        Path mask = dir.resolve("bad_mask.png");
        java.nio.file.Files.writeString(mask, "not a png");
        DataException e = assertThrows(DataException.class, () -> MaskLoader.load(mask, img, 4));
        assertTrue(e.getMessage().contains(mask.toString()));
    }
}
