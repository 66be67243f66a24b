package dev.aand.data;

import dev.aand.config.Limits;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads PNG/JPEG/BMP/TIFF images as planar RGB floats in [0, 255] and resizes them to the square
 * network input with an antialiased bicubic filter. Grayscale is replicated to three channels,
 * alpha is dropped and CMYK is converted as PIL's {@code convert('RGB')} does.
 *
 * <p>An image's declared size is checked against a pixel budget before any pixel is decoded,
 * so a small file that declares a huge picture is refused instead of exhausting memory.
 */
public final class ImageLoader {
    /** {@link #readAsStored} holds the file in memory; no real image comes near this. */
    private static final long MAX_STORED_BYTES = 1L << 30;

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
     * Decodes {@code file} at its original size with its samples as stored, as PIL does: a JPEG's
     * embedded colour profile is not applied. (ImageIO converts e.g. a phone photo's Display P3
     * JPEG to sRGB, which moves values by up to about 30 levels.)
     */
    public static Decoded readAsStored(Path file) {
        return toRgb(decodeAsStored(file));
    }

    /** {@link #readAsStored} before the conversion to planar floats. */
    public static BufferedImage decodeAsStored(Path file) {
        requireFile(file);
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_STORED_BYTES) {
                throw new DataException("image file larger than 1 GiB: " + file);
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw wrap(file.toString(), e);
        }
        try (ImageInputStream iis = ImageIO.createImageInputStream(
                new java.io.ByteArrayInputStream(withoutJpegProfile(bytes)))) {
            return decode(iis, file.toString()).image();
        } catch (IOException | RuntimeException e) {
            throw wrap(file.toString(), e);
        }
    }

    /**
     * A JPEG without its ICC_PROFILE (APP2) segments, so the decoder has nothing to convert from;
     * anything else, or a JPEG whose header does not parse, is returned as is.
     */
    static byte[] withoutJpegProfile(byte[] b) {
        if (b.length < 4 || (b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) {
            return b;
        }
        byte[] tag = "ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(b.length);
        out.write(b, 0, 2);
        int pos = 2;
        // Segments with a length field until start-of-scan; the entropy-coded data follows as is.
        while (pos + 4 <= b.length && (b[pos] & 0xff) == 0xFF && (b[pos + 1] & 0xff) != 0xDA) {
            int len = ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
            if (len < 2 || pos + 2 + len > b.length) {
                return b;
            }
            boolean profile = (b[pos + 1] & 0xff) == 0xE2 && len - 2 >= tag.length
                    && Arrays.equals(b, pos + 4, pos + 4 + tag.length, tag, 0, tag.length);
            if (!profile) {
                out.write(b, pos, 2 + len);
            }
            pos += 2 + len;
        }
        out.write(b, pos, b.length - pos);
        return out.toByteArray();
    }

    /**
     * Decodes an image from a stream (e.g. a classpath resource) at its original size, with the
     * same checks as a file; {@code name} identifies it in error messages. The stream is not closed.
     */
    public static Decoded read(InputStream in, String name) {
        return toRgb(decode(in, name));
    }

    /**
     * Decodes an image from a stream (e.g. bytes read from a distributed file system) with the same
     * checks as {@link #decode(Path)}; {@code name} identifies it in error messages. The stream is
     * not closed.
     */
    public static BufferedImage decode(InputStream in, String name) {
        try (ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            return decode(iis, name).image();
        } catch (IOException | RuntimeException e) {
            throw wrap(name, e);
        }
    }

    private static Decoded toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        float[] rgb = new float[3 * plane];
        float[] gray = graySamples(img);
        if (img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK) {
            cmykToRgb(img, rgb);
        } else if (gray != null) {
            System.arraycopy(gray, 0, rgb, 0, plane);
            System.arraycopy(gray, 0, rgb, plane, plane);
            System.arraycopy(gray, 0, rgb, 2 * plane, plane);
        } else if (!copyBgrBytes(img, rgb)) {
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

    /**
     * The samples of a plain {@code TYPE_3BYTE_BGR} image (what ImageIO decodes most JPEGs and
     * PNGs to), read from its bytes: what {@code getRGB} gives for it, since that type is sRGB, in
     * a tenth of the time (1.3 ms for a 320x240 photo, a third of the service's preparation of a
     * 64 px request). False, doing nothing, for any other layout (a sub-image, an offset buffer).
     */
    static boolean copyBgrBytes(BufferedImage img, float[] rgb) {
        if (img.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            return false;
        }
        WritableRaster r = img.getRaster();
        int w = img.getWidth();
        int plane = w * img.getHeight();
        if (r.getParent() != null || r.getSampleModelTranslateX() != 0 || r.getSampleModelTranslateY() != 0
                || !(r.getDataBuffer() instanceof DataBufferByte db) || db.getOffset() != 0
                || !(r.getSampleModel() instanceof PixelInterleavedSampleModel sm)
                || sm.getPixelStride() != 3 || sm.getScanlineStride() != 3 * w
                || !Arrays.equals(sm.getBandOffsets(), new int[] {2, 1, 0})) {
            return false;
        }
        byte[] b = db.getData();
        for (int i = 0, j = 0; i < plane; i++, j += 3) {
            rgb[i] = b[j + 2] & 0xff;
            rgb[plane + i] = b[j + 1] & 0xff;
            rgb[2 * plane + i] = b[j] & 0xff;
        }
        return true;
    }

    /**
     * CMYK (and YCCK, which the JPEG reader turns into CMYK) as PIL converts it, without colour
     * management: {@code R = (255 - C)(255 - K)/255} with PIL's rounding (Convert.c cmyk2rgb). The
     * JDK's own conversion goes through a press profile and gives visibly different colours
     * (issue 8: mean RGB 186/178/163 where PIL, and so the official code, sees 136/120/97).
     */
    private static void cmykToRgb(BufferedImage img, float[] rgb) {
        Raster r = img.getRaster();
        if (r.getNumBands() != 4) {
            throw new DataException("CMYK image with " + r.getNumBands() + " channels is not supported");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        int bits = img.getColorModel().getComponentSize(0);
        double scale = bits == 8 ? 1 : 255.0 / ((1L << bits) - 1);
        int[] px = r.getPixels(0, 0, w, h, (int[]) null);
        for (int i = 0; i < plane; i++) {
            int k = level(px[4 * i + 3], scale);
            int nk = 255 - k;
            for (int c = 0; c < 3; c++) {
                int t = level(px[4 * i + c], scale) * nk + 128;
                int v = nk - (((t >> 8) + t) >> 8);
                rgb[c * plane + i] = Math.max(0, Math.min(255, v));
            }
        }
    }

    private static int level(int sample, double scale) {
        return scale == 1 ? sample : (int) Math.round(sample * scale);
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
     * {@code {width, height}} from an image stream's header, without decoding the pixels: lets a
     * caller bound an image's size before paying for it. The stream is not closed.
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
            checkPixelBudget(reader, name);
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

    /** Refuses, from the header alone, an image larger than the pixel budget. */
    private static void checkPixelBudget(ImageReader reader, String name) throws IOException {
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        long budget = Limits.maxImagePixels();
        if (w <= 0 || h <= 0) {
            throw new DataException("empty image " + name + " (" + w + "x" + h + ")");
        }
        if (w * h > budget) {
            throw new DataException(name + " declares " + w + "x" + h + " = " + String.format(java.util.Locale.ROOT,
                    "%.1f", w * h / 1e6) + " megapixels, more than the limit of " + String.format(java.util.Locale.ROOT,
                    "%.1f", budget / 1e6) + " (system property " + Limits.MAX_IMAGE_PIXELS + " raises it)");
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
