package dev.aand.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads PNG/JPEG/BMP/TIFF images as planar RGB floats in [0, 255] and resizes them to the square
 * network input with an antialiased bicubic filter. Grayscale is replicated to three channels and
 * alpha is dropped (like PIL's {@code convert('RGB')}).
 */
public final class ImageLoader {
    private ImageLoader() {}

    /** A decoded image: {@code rgb} is planar {@code [3, height, width]}, values 0..255. */
    public record Decoded(int width, int height, float[] rgb) {}

    /** Reads {@code file} and resizes it to {@code size x size}: {@code float[3*size*size]} CHW. */
    public static float[] load(Path file, int size) {
        return resize(read(file), size);
    }

    /**
     * The network input for a decoded image: resized to {@code size x size} with the antialiased
     * bicubic filter and clamped to [0, 255]; {@code float[3*size*size]} CHW.
     */
    public static float[] resize(Decoded d, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + size);
        }
        if (d.width() == size && d.height() == size) {
            return d.rgb();
        }
        float[] out = BicubicResampler.resize(d.rgb(), 3, d.height(), d.width(), size, size);
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(255f, Math.max(0f, out[i]));
        }
        return out;
    }

    /** An image already in memory (e.g. from DJL's ImageFactory), converted as a decoded file is. */
    public static Decoded fromImage(BufferedImage img) {
        if (img.getWidth() <= 0 || img.getHeight() <= 0) {
            throw new DataException("empty image");
        }
        return toRgb(img);
    }

    /** Decodes {@code file} at its original size. */
    public static Decoded read(Path file) {
        return toRgb(decode(file));
    }

    /**
     * Decodes an image from a stream (e.g. a classpath resource) at its original size, with the
     * same checks as a file; {@code name} identifies it in error messages. The stream is not closed.
     */
    public static Decoded read(InputStream in, String name) {
        return toRgb(decode(in, name));
    }

    private static Decoded toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        float[] rgb = new float[3 * plane];
        float[] gray = graySamples(img);
        if (gray != null) {
            System.arraycopy(gray, 0, rgb, 0, plane);
            System.arraycopy(gray, 0, rgb, plane, plane);
            System.arraycopy(gray, 0, rgb, 2 * plane, plane);
        } else {
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < plane; i++) {
                int p = argb[i];
                rgb[i] = (p >> 16) & 0xff;
                rgb[plane + i] = (p >> 8) & 0xff;
                rgb[2 * plane + i] = p & 0xff;
            }
        }
        return new Decoded(w, h, rgb);
    }

    /** {@code {width, height}} from the file header, without decoding the pixels. */
    public static int[] dimensions(Path file) {
        requireFile(file);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return dimensions(in, file.toString());
        } catch (IOException | RuntimeException e) {
            throw wrap(file.toString(), e);
        }
    }

    /**
     * {@code {width, height}} from the header of an image in a stream (e.g. a request body),
     * without decoding the pixels; {@code name} identifies it in error messages. The stream is
     * not closed.
     */
    public static int[] dimensions(InputStream in, String name) {
        try (ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            return dimensions(iis, name);
        } catch (IOException | RuntimeException e) {
            throw wrap(name, e);
        }
    }

    private static int[] dimensions(ImageInputStream in, String name) throws IOException {
        ImageReader reader = readerFor(in, name);
        try {
            reader.setInput(in, true, true);
            return new int[] {reader.getWidth(0), reader.getHeight(0)};
        } finally {
            reader.dispose();
        }
    }

    /**
     * Decodes any supported image. Decoder warnings (e.g. a JPEG cut short, which the JDK still
     * returns as a half-grey picture) are treated as errors: a damaged file must not be scored.
     */
    public static BufferedImage decode(Path file) {
        return decodeWithFormat(file).image();
    }

    /**
     * Decodes an image from a stream (e.g. a request body) with the same checks as a file;
     * {@code name} identifies it in error messages. The stream is not closed.
     */
    public static BufferedImage decode(InputStream in, String name) {
        try (ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            return decode(iis, name).image();
        } catch (IOException | RuntimeException e) {
            throw wrap(name, e);
        }
    }

    /** A decoded picture and the decoder's format name (lower case, e.g. "png", "jpeg"). */
    record Picture(BufferedImage image, String format) {}

    static Picture decodeWithFormat(Path file) {
        requireFile(file);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return decode(in, file.toString());
        } catch (IOException | RuntimeException e) {
            throw wrap(file.toString(), e);
        }
    }

    private static Picture decode(ImageInputStream in, String name) throws IOException {
        ImageReader reader = readerFor(in, name);
        try {
            reader.setInput(in, true, true);
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, message) -> warnings.add(message));
            BufferedImage img = reader.read(0);
            if (!warnings.isEmpty()) {
                throw new DataException("corrupt or truncated image " + name + ": "
                        + String.join("; ", warnings));
            }
            if (img.getWidth() <= 0 || img.getHeight() <= 0) {
                throw new DataException("empty image " + name);
            }
            return new Picture(img, reader.getFormatName().toLowerCase(java.util.Locale.ROOT));
        } finally {
            reader.dispose();
        }
    }

    /**
     * Gray samples scaled to 0..255 read straight from the raster, or null if not grayscale.
     * {@code getRGB} would treat the JDK's linear gray space as needing gamma correction and
     * brighten mid-tones, which PIL (and the masks' authors) never do.
     */
    static float[] graySamples(BufferedImage img) {
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        int type = r.getTransferType();
        boolean integer = type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT
                || type == DataBuffer.TYPE_SHORT || type == DataBuffer.TYPE_INT;
        if (cm instanceof IndexColorModel || !integer
                || cm.getColorSpace().getType() != ColorSpace.TYPE_GRAY) {
            return null;
        }
        int bits = cm.getComponentSize(0);
        double scale = bits >= 31 ? 255.0 / Integer.MAX_VALUE : 255.0 / ((1L << bits) - 1);
        int w = img.getWidth();
        int h = img.getHeight();
        int[] s = r.getSamples(0, 0, w, h, 0, (int[]) null);
        float[] out = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (float) (s[i] * scale);
        }
        return out;
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException("image file not found: " + file);
        }
    }

    private static ImageReader readerFor(ImageInputStream in, String name) {
        if (in == null) {
            throw new DataException("cannot open image " + name);
        }
        Iterator<ImageReader> it = ImageIO.getImageReaders(in);
        if (!it.hasNext()) {
            throw new DataException("not a readable image (unknown format or corrupt header): " + name);
        }
        return it.next();
    }

    private static DataException wrap(String name, Exception e) {
        if (e instanceof DataException d) {
            return d;
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new DataException("cannot decode image " + name + ": " + why, e);
    }
}
