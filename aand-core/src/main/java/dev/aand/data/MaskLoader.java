package dev.aand.data;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * Reads ground-truth masks (0 = normal, anomalous otherwise) as binary pixels, resized with
 * nearest neighbour so that no new grey levels appear at region borders.
 */
public final class MaskLoader {
    /** Pixels above this grey level are anomalous (masks are written as 0/255). */
    public static final int THRESHOLD = 127;

    private MaskLoader() {}

    /** A binary mask at its stored resolution, row-major. */
    public record Binary(int width, int height, boolean[] pixels) {}

    /**
     * Reads {@code mask}, checks it has the size of {@code image} (read from the image header),
     * and returns it resized to {@code size x size}, row-major.
     */
    public static boolean[] load(Path mask, Path image, int size) {
        int[] dims = ImageLoader.dimensions(image);
        return load(mask, image, dims[0], dims[1], size);
    }

    /** As {@link #load(Path, Path, int)} with the image size already known. */
    public static boolean[] load(Path mask, Path image, int imageWidth, int imageHeight, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("mask size must be positive, got " + size);
        }
        Binary b = read(mask);
        if (b.width() != imageWidth || b.height() != imageHeight) {
            throw new DataException("mask " + mask + " is " + b.width() + "x" + b.height()
                    + " but its image " + image + " is " + imageWidth + "x" + imageHeight
                    + " (width x height)");
        }
        return resizeNearest(b, size, size);
    }

    /** Reads and binarises {@code mask} at its own resolution. */
    public static Binary read(Path mask) {
        ImageLoader.Picture pic = ImageLoader.decodeWithFormat(mask);
        BufferedImage img = pic.image();
        int w = img.getWidth();
        int h = img.getHeight();
        int[] level = levels(img);
        int max = 0;
        for (int v : level) {
            max = Math.max(max, v);
        }
        // Some datasets store lossless label masks as 0/1 (or small instance ids) rather than
        // 0/255; a plain >127 cut would silently erase them, so any non-zero pixel counts there.
        // Not for JPEG: its compression noise on an empty mask would become "anomalous".
        boolean lossy = pic.format().contains("jp");
        int cut = max > THRESHOLD || lossy ? THRESHOLD : 0;
        boolean[] px = new boolean[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = level[i] > cut;
        }
        return new Binary(w, h, px);
    }

    /** Nearest neighbour with pixel-centre alignment (PIL's NEAREST): src = floor((d+0.5)*in/out). */
    public static boolean[] resizeNearest(Binary b, int outWidth, int outHeight) {
        int[] xs = nearest(b.width(), outWidth);
        int[] ys = nearest(b.height(), outHeight);
        boolean[] out = new boolean[outWidth * outHeight];
        for (int y = 0; y < outHeight; y++) {
            int row = ys[y] * b.width();
            for (int x = 0; x < outWidth; x++) {
                out[y * outWidth + x] = b.pixels()[row + xs[x]];
            }
        }
        return out;
    }

    private static int[] nearest(int in, int out) {
        int[] idx = new int[out];
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            idx[o] = Math.min((int) Math.floor((o + 0.5) * scale), in - 1);
        }
        return idx;
    }

    /**
     * One level per pixel: the stored value for gray and palette images (a palette index is the
     * label), else the brightest RGB channel so coloured annotations also count.
     */
    private static int[] levels(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] gray = ImageLoader.graySamples(img);
        int[] out = new int[w * h];
        if (gray != null) {
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.round(gray[i]);
            }
        } else if (img.getColorModel() instanceof java.awt.image.IndexColorModel) {
            img.getRaster().getSamples(0, 0, w, h, 0, out);
        } else {
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < out.length; i++) {
                int p = argb[i];
                out[i] = Math.max((p >> 16) & 0xff, Math.max((p >> 8) & 0xff, p & 0xff));
            }
        }
        return out;
    }
}
