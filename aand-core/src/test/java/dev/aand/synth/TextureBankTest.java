package dev.aand.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextureBankTest {

    @Test
    void shippedTexturesLoadFromTheClasspath() {
        TextureBank bank = TextureBank.defaults(32);
        assertEquals(20, bank.count());
        assertEquals(32, bank.size());
        assertTrue(bank.names().contains("brick.png"));
        for (int i = 0; i < bank.count(); i++) {
            float[] t = bank.texture(i);
            assertEquals(3 * 32 * 32, t.length);
            float min = 255, max = 0;
            for (float v : t) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertTrue(min >= 0 && max <= 255, bank.names().get(i));
            assertTrue(max - min > 1, bank.names().get(i) + " should not be flat");
        }
        // The CC0 licence note ships next to them.
        assertTrue(TextureBank.class.getResource(TextureBank.DEFAULT_FOLDER + "LICENSE-textures.txt") != null);
    }

    @Test
    void folderImagesAreDecodedAsRgbAndResized(@TempDir Path dir) throws IOException {
        BufferedImage rgb = new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) for (int x = 0; x < 8; x++) rgb.setRGB(x, y, 200 << 16 | 100 << 8 | 30);
        ImageIO.write(rgb, "png", dir.resolve("b_color.png").toFile());
        BufferedImage gray = new BufferedImage(6, 6, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 6; y++) for (int x = 0; x < 6; x++) gray.getRaster().setSample(x, y, 0, 64);
        ImageIO.write(gray, "png", dir.resolve("a_gray.PNG").toFile());
        Files.writeString(dir.resolve("notes.txt"), "not an image");

        TextureBank bank = TextureBank.fromFolder(dir, 5);
        assertEquals(java.util.List.of("a_gray.PNG", "b_color.png"), bank.names());
        // Gray values are kept as stored (no linear-to-sRGB brightening).
        for (float v : bank.texture(0)) assertEquals(64f, v, 1e-4f);
        float[] c = bank.texture(1);
        assertEquals(200f, c[0], 1e-3f);
        assertEquals(100f, c[25], 1e-3f);
        assertEquals(30f, c[50], 1e-3f);
        float[] picked = bank.random(new SplittableRandom(1));
        assertTrue(picked == bank.texture(0) || picked == bank.texture(1));
    }

    @Test
    void emptyOrMissingFoldersAndBadFilesAreNamed(@TempDir Path dir) throws IOException {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> TextureBank.fromFolder(dir, 16));
        assertTrue(empty.getMessage().contains(dir.getFileName().toString()), empty.getMessage());
        Path missing = dir.resolve("nope");
        IllegalArgumentException gone = assertThrows(IllegalArgumentException.class,
                () -> TextureBank.fromFolder(missing, 16));
        assertTrue(gone.getMessage().contains("nope"), gone.getMessage());
        Files.writeString(dir.resolve("broken.png"), "garbage");
        Exception bad = assertThrows(RuntimeException.class, () -> TextureBank.fromFolder(dir, 16));
        assertTrue(bad.getMessage().contains("broken.png"), bad.getMessage());
    }
}
