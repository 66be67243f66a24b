package dev.aand.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.aand.testing.Fixtures;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessingTest {
    @TempDir
    Path tmp;

    @Test
    void officialLeavesAnImageOfTheInputSizeAsStored() {
        Path png = Fixtures.fixture("08_official_import/input.png");
        assertArrayEquals(ImageLoader.read(png).rgb(), Preprocessing.OFFICIAL.load(png, 256), 0f);
        float[] small = Preprocessing.OFFICIAL.load(png, 64);
        assertEquals(3 * 64 * 64, small.length);
        for (float v : small) {
            assertEquals(Math.rint(v), v, 0f, "8-bit values, as PIL's resize returns");
        }
    }

    /** ImageIO applies a JPEG's embedded profile; PIL (and so the official code) does not. */
    @Test
    void officialIgnoresAnEmbeddedColourProfile() throws Exception {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                img.setRGB(x, y, (60 << 16) | (120 << 8) | 180);
            }
        }
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", plain);
        byte[] jpg = plain.toByteArray();
        // The same JPEG with an APP2 ICC_PROFILE segment (linear RGB) right after SOI.
        byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        byte[] tag = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
        int len = 2 + tag.length + 2 + icc.length;
        ByteArrayOutputStream tagged = new ByteArrayOutputStream();
        tagged.write(jpg, 0, 2);
        tagged.write(new byte[] {(byte) 0xFF, (byte) 0xE2, (byte) (len >> 8), (byte) len});
        tagged.write(tag);
        tagged.write(new byte[] {1, 1});
        tagged.write(icc);
        tagged.write(jpg, 2, jpg.length - 2);
        Path file = Files.write(tmp.resolve("linear.jpg"), tagged.toByteArray());

        float[] asStored = ImageLoader.readAsStored(file).rgb();
        float[] managed = ImageLoader.read(file).rgb();
        assertArrayEquals(ImageLoader.read(Files.write(tmp.resolve("plain.jpg"), jpg)).rgb(), asStored, 0f,
                "the profile is ignored, nothing else changes");
        assertEquals(60, asStored[0], 3);
        assertTrue(managed[0] > asStored[0] + 40, "ImageIO converted linear to sRGB: " + managed[0]);
        assertArrayEquals(asStored, Preprocessing.OFFICIAL.load(file, 16), 0f);
    }

    @Test
    void idsParseAndUnknownOnesAreNamed() {
        assertEquals(Preprocessing.OFFICIAL, Preprocessing.parse("Official"));
        assertEquals(Preprocessing.AAND, Preprocessing.parse("aand"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Preprocessing.parse("pil"));
        assertEquals("unknown preprocessing 'pil'; valid: aand, official", e.getMessage());
    }
}
