package dev.aand.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.aand.testing.HostileFiles;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageLoaderTest {
    @TempDir
    Path dir;

    @Test
    void bgrBytesAreReadAsGetRgbGivesThemAndOtherLayoutsAreLeftToIt() {
        BufferedImage img = new BufferedImage(7, 5, BufferedImage.TYPE_3BYTE_BGR);
        Random r = new Random(3);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        float[] fast = new float[3 * 35];
        assertTrue(ImageLoader.copyBgrBytes(img, fast));
        float[] viaGetRgb = new float[3 * 35];
        int[] argb = img.getRGB(0, 0, 7, 5, null, 0, 7);
        for (int i = 0; i < 35; i++) {
            viaGetRgb[i] = (argb[i] >> 16) & 0xff;
            viaGetRgb[35 + i] = (argb[i] >> 8) & 0xff;
            viaGetRgb[70 + i] = argb[i] & 0xff;
        }
        assertArrayEquals(viaGetRgb, fast);
        assertArrayEquals(viaGetRgb, ImageLoader.fromImage(img).rgb());
        // A sub-image shares its parent's bytes at an offset: the general path reads it.
        BufferedImage sub = img.getSubimage(2, 1, 4, 3);
        assertFalse(ImageLoader.copyBgrBytes(sub, new float[3 * 12]));
        float[] subRgb = ImageLoader.fromImage(sub).rgb();
        assertEquals(viaGetRgb[1 * 7 + 2], subRgb[0]);
        assertEquals(viaGetRgb[70 + 3 * 7 + 5], subRgb[24 + 2 * 4 + 3]);
        assertFalse(ImageLoader.copyBgrBytes(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), new float[12]));
    }

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

    @Test
    void aSmallFileDeclaringAHugePictureIsRefusedBeforeDecoding() throws Exception {
        Path f = HostileFiles.png(dir.resolve("huge.png"), 40000, 40000);
        assertTrue(Files.size(f) < 400_000, "a few hundred KB on disk: " + Files.size(f));
        long t0 = System.nanoTime();
        DataException e = assertThrows(DataException.class, () -> ImageLoader.load(f, 32));
        assertTrue((System.nanoTime() - t0) / 1e9 < 5, "refused from the header, not after decoding");
        assertTrue(e.getMessage().contains("huge.png") && e.getMessage().contains("40000x40000")
                && e.getMessage().contains("1600.0 megapixels") && e.getMessage().contains("100.0"), e.getMessage());
        // The same file within a raised budget is a valid image: the refusal is the budget's.
        Path small = HostileFiles.png(dir.resolve("small.png"), 40, 30);
        assertEquals(40, ImageLoader.read(small).width());
        System.setProperty(dev.aand.config.Limits.MAX_IMAGE_PIXELS, "1000");
        try {
            DataException b = assertThrows(DataException.class, () -> ImageLoader.read(small));
            assertTrue(b.getMessage().contains("40x30"), b.getMessage());
            assertThrows(DataException.class, () -> ImageLoader.load(small, 32));
        } finally {
            System.clearProperty(dev.aand.config.Limits.MAX_IMAGE_PIXELS);
        }
    }

    /** CMYK and YCCK JPEGs decode to the colours PIL gives (references made by PIL 12.3.0). */
    @ParameterizedTest
    @ValueSource(strings = {"cmyk_adobe", "cmyk_plain", "ycck"})
    void cmykAndYcckJpegsGetPilsColours(String name) throws Exception {
        ImageLoader.Decoded jpeg = ImageLoader.read(resource(name + ".jpg"));
        ImageLoader.Decoded pil = ImageLoader.read(resource(name + ".pil.png"));
        assertEquals(pil.width(), jpeg.width());
        assertEquals(pil.height(), jpeg.height());
        int plane = pil.width() * pil.height();
        float worst = 0;
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double pilSum = 0;
            for (int i = 0; i < plane; i++) {
                sum += jpeg.rgb()[c * plane + i];
                pilSum += pil.rgb()[c * plane + i];
                worst = Math.max(worst, Math.abs(jpeg.rgb()[c * plane + i] - pil.rgb()[c * plane + i]));
            }
            assertEquals(pilSum / plane, sum / plane, 0.05, name + " mean of channel " + c);
        }
        assertTrue(worst <= 1, name + ": largest difference to PIL " + worst);
    }

    private static Path resource(String name) throws Exception {
        return Path.of(ImageLoaderTest.class.getResource("/cmyk/" + name).toURI());
    }
}
