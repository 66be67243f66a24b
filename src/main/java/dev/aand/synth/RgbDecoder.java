package dev.aand.synth;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import javax.imageio.ImageIO;

/** Decodes PNG/JPEG bytes into CHW RGB floats in [0, 255]. */
final class RgbDecoder {
    private RgbDecoder() {}

    /** A decoded image: CHW RGB, h rows, w columns. */
    record Decoded(float[] chw, int h, int w) {}

    static Decoded decode(InputStream in, String name) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(in);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot decode image " + name + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IOException("cannot decode image " + name + ": not a PNG/JPEG this JVM can read");
        }
        int h = img.getHeight(), w = img.getWidth(), n = h * w;
        float[] out = new float[3 * n];
        Raster r = img.getRaster();
        boolean plainGray = img.getType() == BufferedImage.TYPE_BYTE_GRAY
                || img.getType() == BufferedImage.TYPE_USHORT_GRAY;
        if (plainGray) {
            // getRGB would push linear-gray values through a gamma curve and brighten them;
            // the stored samples are already the display values.
            float scale = img.getType() == BufferedImage.TYPE_USHORT_GRAY ? 255f / 65535f : 1f;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = r.getSample(x, y, 0) * scale;
                    int i = y * w + x;
                    out[i] = v;
                    out[n + i] = v;
                    out[2 * n + i] = v;
                }
            }
            return new Decoded(out, h, w);
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x], i = y * w + x;
                out[i] = (p >> 16) & 0xFF;
                out[n + i] = (p >> 8) & 0xFF;
                out[2 * n + i] = p & 0xFF;
            }
        }
        return new Decoded(out, h, w);
    }
}
