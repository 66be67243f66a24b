package dev.aand.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.aand.testing.TinyCookie;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLoaderTest {
    @TempDir
    Path dir;

    @Test
    void readsRgbPlanesInOrder() {
        Path f = TestImages.rgb(dir.resolve("a.png"), 4, 3);
        ImageLoader.Decoded d = ImageLoader.read(f);
        assertEquals(4, d.width());
        assertEquals(3, d.height());
        int plane = 12;
        // pixel (x=2, y=1): R = 20, G = 20, B = 77
        int i = 1 * 4 + 2;
        assertEquals(20f, d.rgb()[i]);
        assertEquals(20f, d.rgb()[plane + i]);
        assertEquals(77f, d.rgb()[2 * plane + i]);
        assertArrayEquals(new int[] {4, 3}, ImageLoader.dimensions(f));
    }

    @Test
    void grayIsReplicatedWithoutGammaChange() {
        Path f = TestImages.gray(dir.resolve("g.png"), 3, 2, (x, y) -> 40 * x + 100 * y);
        ImageLoader.Decoded d = ImageLoader.read(f);
        float[] r = Arrays.copyOfRange(d.rgb(), 0, 6);
        assertArrayEquals(new float[] {0, 40, 80, 100, 140, 180}, r);
        assertArrayEquals(r, Arrays.copyOfRange(d.rgb(), 6, 12));
        assertArrayEquals(r, Arrays.copyOfRange(d.rgb(), 12, 18));
    }

    @Test
    void alphaIsDropped() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00_10_20_30); // fully transparent: colour must survive anyway
        img.setRGB(1, 0, 0x80_ff_00_7f);
        ImageLoader.Decoded d = ImageLoader.read(TestImages.write(img, dir.resolve("rgba.png")));
        assertArrayEquals(new float[] {0x10, 0xff, 0x20, 0x00, 0x30, 0x7f}, d.rgb());
    }

    @Test
    void readsBmpTiffAndUpperCaseExtensions() {
        for (String name : new String[] {"b.bmp", "t.tif", "u.PNG"}) {
            Path f = TestImages.rgb(dir.resolve(name), 5, 4);
            assertEquals(3 * 8 * 8, ImageLoader.load(f, 8).length, name);
        }
    }

    @Test
    void resizesToSquareChwAndClamps() {
        // A hard 0/255 edge makes the bicubic lobes overshoot; the result must stay in range.
        Path f = TestImages.gray(dir.resolve("edge.png"), 20, 6, (x, y) -> x < 10 ? 0 : 255);
        float[] r = ImageLoader.load(f, 16);
        assertEquals(3 * 16 * 16, r.length);
        for (float v : r) {
            assertTrue(v >= 0 && v <= 255, "value " + v);
        }
        assertEquals(0f, r[0]);
        assertEquals(255f, r[15]);
    }

    @Test
    void constantImageStaysConstant() {
        Path f = TestImages.gray(dir.resolve("c.png"), 37, 23, (x, y) -> 91);
        for (float v : ImageLoader.load(f, 32)) {
            assertEquals(91f, v, 1e-3f);
        }
    }

    @Test
    void randomBytesNamedPngFailNamingTheFile() throws Exception {
        Path f = dir.resolve("noise.png");
        byte[] b = new byte[500];
        new Random(1).nextBytes(b);
        Files.write(f, b);
        DataException e = assertThrows(DataException.class, () -> ImageLoader.load(f, 8));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void truncatedFilesFailNamingTheFile() throws Exception {
        Path png = TestImages.rgb(dir.resolve("full.png"), 64, 64);
        byte[] b = Files.readAllBytes(png);
        Path cut = dir.resolve("cut.png");
        Files.write(cut, Arrays.copyOf(b, b.length / 2));
        DataException e = assertThrows(DataException.class, () -> ImageLoader.read(cut));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());

        byte[] jpg = Files.readAllBytes(TinyCookie.full().resolve("cookie/train/good/000.jpg"));
        Path cutJpg = dir.resolve("cut.jpg");
        Files.write(cutJpg, Arrays.copyOf(jpg, jpg.length / 2));
        e = assertThrows(DataException.class, () -> ImageLoader.read(cutJpg));
        assertTrue(e.getMessage().contains(cutJpg.toString()), e.getMessage());
    }

    @Test
    void missingFileIsReported() {
        Path f = dir.resolve("nope.jpg");
        DataException e = assertThrows(DataException.class, () -> ImageLoader.load(f, 8));
        assertTrue(e.getMessage().contains(f.toString()));
    }

    @Test
    void loadsRealCookieJpeg() {
        Path f = TinyCookie.full().resolve("cookie/train/good/000.jpg");
        assertArrayEquals(new int[] {240, 320}, ImageLoader.dimensions(f));
        float[] r = ImageLoader.load(f, 64);
        assertEquals(3 * 64 * 64, r.length);
        double mean = 0;
        for (float v : r) {
            assertTrue(v >= 0 && v <= 255);
            mean += v / r.length;
        }
        // Full-resolution mean of a channel mix is preserved by a normalised filter.
        ImageLoader.Decoded d = ImageLoader.read(f);
        double full = 0;
        for (float v : d.rgb()) {
            full += v / d.rgb().length;
        }
        assertEquals(full, mean, 2.0);
    }

    @Test
    void streamsDecodeLikeFilesAndErrorsNameTheSource() throws Exception {
        Path gray = TestImages.gray(dir.resolve("s.png"), 3, 2, (x, y) -> 40 * x + 100 * y);
        Path rgb = TestImages.rgb(dir.resolve("c.png"), 4, 3);
        for (Path f : new Path[] {gray, rgb}) {
            ImageLoader.Decoded fromFile = ImageLoader.read(f);
            try (InputStream in = Files.newInputStream(f)) {
                ImageLoader.Decoded fromStream = ImageLoader.read(in, "res:" + f.getFileName());
                assertEquals(fromFile.width(), fromStream.width());
                assertEquals(fromFile.height(), fromStream.height());
                assertArrayEquals(fromFile.rgb(), fromStream.rgb(), f.toString());
            }
        }
        byte[] b = Files.readAllBytes(rgb);
        byte[] cut = Arrays.copyOf(b, b.length / 2);
        DataException e = assertThrows(DataException.class,
                () -> ImageLoader.read(new ByteArrayInputStream(cut), "classpath:/cut.png"));
        assertTrue(e.getMessage().contains("classpath:/cut.png"), e.getMessage());
        e = assertThrows(DataException.class,
                () -> ImageLoader.read(new ByteArrayInputStream(new byte[] {1, 2, 3}), "classpath:/junk.png"));
        assertTrue(e.getMessage().contains("classpath:/junk.png"), e.getMessage());
    }
}
