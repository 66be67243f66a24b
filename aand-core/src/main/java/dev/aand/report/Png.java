package dev.aand.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;

/** PNG files and PNG data URIs (lossless: charts, masks, colour bars). */
public final class Png {
    static {
        Headless.ensure();
    }

    private Png() {}

    /** Writes {@code img} as PNG to {@code file}, creating parent directories. */
    public static void write(BufferedImage img, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, bytes(img));
    }

    /** The PNG encoding of {@code img}. */
    public static byte[] bytes(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer available for image type " + img.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        }
        return out.toByteArray();
    }

    /** {@code data:image/png;base64,...} for embedding in self-contained HTML. */
    public static String dataUri(BufferedImage img) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes(img));
    }
}
