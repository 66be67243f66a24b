package dev.aand.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes small images for the data tests. */
final class TestImages {
    private TestImages() {}

    /** An RGB image with distinct channel values, written in the format its extension names. */
    static Path rgb(Path file, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((10 * x) & 0xff) << 16 | ((20 * y) & 0xff) << 8 | 77);
            }
        }
        return write(img, file);
    }

    /** An 8-bit gray image whose pixel (x, y) is {@code value.applyAsInt(x, y)}. */
    static Path gray(Path file, int w, int h, java.util.function.IntBinaryOperator value) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, value.applyAsInt(x, y));
            }
        }
        return write(img, file);
    }

    static Path write(BufferedImage img, Path file) {
        try {
            Files.createDirectories(file.getParent());
            String name = file.getFileName().toString();
            String format = name.substring(name.lastIndexOf('.') + 1).toLowerCase();
            if (format.equals("jpg")) {
                format = "jpeg";
            } else if (format.equals("tif")) {
                format = "tiff";
            }
            if (!ImageIO.write(img, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
