package dev.aand.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aand.testing.TinyCookie;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** A few real cookie photos as a [N,3,S,S] RGB batch in [0,255]. */
final class TestImages {
    private TestImages() {}

    static NDArray cookies(NDManager m, int count, int size) {
        Path dir = TinyCookie.full().resolve("cookie/train/good");
        float[] data = new float[count * 3 * size * size];
        int plane = size * size;
        for (int i = 0; i < count; i++) {
            Path f = dir.resolve(String.format("%03d.jpg", i));
            BufferedImage src;
            try {
                src = ImageIO.read(f.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, size, size, null);
            g.dispose();
            int base = i * 3 * plane;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int rgb = img.getRGB(x, y);
                    int p = y * size + x;
                    data[base + p] = (rgb >> 16) & 0xff;
                    data[base + plane + p] = (rgb >> 8) & 0xff;
                    data[base + 2 * plane + p] = rgb & 0xff;
                }
            }
        }
        return m.create(data, new Shape(count, 3, size, size));
    }
}
