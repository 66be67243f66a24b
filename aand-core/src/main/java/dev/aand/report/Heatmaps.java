package dev.aand.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Turns planar float data (a CHW RGB image in [0, 255], an S*S anomaly map, an S*S mask) into
 * {@link BufferedImage}s people can look at: colourised maps, overlays, binary masks and
 * ground-truth contours.
 */
public final class Heatmaps {
    static {
        Headless.ensure();
    }

    /** Share of the heatmap colour in {@link #overlay(float[], float[], int, float, float)}. */
    public static final float DEFAULT_ALPHA = 0.5f;

    private Heatmaps() {}

    /** The CHW RGB image (values in [0, 255], clamped) as a TYPE_INT_RGB image. */
    public static BufferedImage rgbImage(float[] rgb, int size) {
        checkSize(size);
        checkLength("rgb", rgb, 3 * size * size, "3*" + size + "*" + size);
        int plane = size * size;
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[plane];
        for (int i = 0; i < plane; i++) {
            px[i] = (clampByte(rgb[i]) << 16) | (clampByte(rgb[plane + i]) << 8) | clampByte(rgb[2 * plane + i]);
        }
        img.setRGB(0, 0, size, size, px, 0, size);
        return img;
    }

    /** The S*S map coloured with {@link Colormap} on the scale [vmin, vmax]. */
    public static BufferedImage colorize(float[] map, int size, float vmin, float vmax) {
        checkSize(size);
        checkLength("map", map, size * size, size + "*" + size);
        int[] px = new int[size * size];
        for (int i = 0; i < px.length; i++) {
            px[i] = Colormap.rgb(map[i], vmin, vmax);
        }
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, size, size, px, 0, size);
        return img;
    }

    /** The image with the colourised map blended over it at {@link #DEFAULT_ALPHA}. */
    public static BufferedImage overlay(float[] rgb, float[] map, int size, float vmin, float vmax) {
        return overlay(rgb, map, size, vmin, vmax, DEFAULT_ALPHA);
    }

    /** The image with the colourised map blended over it; alpha 0 = image only, 1 = map only. */
    public static BufferedImage overlay(float[] rgb, float[] map, int size, float vmin, float vmax, float alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("overlay alpha must be in [0, 1], got " + alpha);
        }
        BufferedImage base = rgbImage(rgb, size);
        BufferedImage heat = colorize(map, size, vmin, vmax);
        int n = size * size;
        int[] a = base.getRGB(0, 0, size, size, null, 0, size);
        int[] b = heat.getRGB(0, 0, size, size, null, 0, size);
        for (int i = 0; i < n; i++) {
            a[i] = blend(a[i], b[i], alpha);
        }
        base.setRGB(0, 0, size, size, a, 0, size);
        return base;
    }

    /**
     * A photo at its own size (planar RGB in [0, 255], {@code 3 x height x width}) with a map of
     * the same size (e.g. a prediction's map at input size) coloured over it at
     * {@link #DEFAULT_ALPHA}.
     */
    public static BufferedImage overlay(float[] rgb, int width, int height, float[] map, float vmin, float vmax) {
        int plane = width * height;
        checkLength("rgb", rgb, 3 * plane, "3*" + width + "*" + height);
        checkLength("map", map, plane, width + "*" + height);
        int[] px = new int[plane];
        for (int i = 0; i < plane; i++) {
            int photo = (clampByte(rgb[i]) << 16) | (clampByte(rgb[plane + i]) << 8) | clampByte(rgb[2 * plane + i]);
            px[i] = blend(photo, Colormap.rgb(map[i], vmin, vmax), DEFAULT_ALPHA);
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, width, height, px, 0, width);
        return out;
    }

    /** White where {@code on}, black elsewhere, {@code width x height}. */
    public static BufferedImage mask(boolean[] on, int width, int height) {
        if ((long) width * height != on.length || width < 1 || height < 1) {
            throw new IllegalArgumentException("mask of " + on.length + " values is not " + width + "x" + height);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_BINARY);
        int[] px = new int[on.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = on[i] ? 0xFFFFFF : 0;
        }
        img.setRGB(0, 0, width, height, px, 0, width);
        return img;
    }

    /** White where {@code map > threshold} (anomalous), black elsewhere; NaN counts as normal. */
    public static BufferedImage binaryMask(float[] map, float threshold, int size) {
        checkSize(size);
        checkLength("map", map, size * size, size + "*" + size);
        int[] px = new int[size * size];
        for (int i = 0; i < px.length; i++) {
            px[i] = map[i] > threshold ? 0xFFFFFF : 0x000000;
        }
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, size, size, px, 0, size);
        return img;
    }

    /**
     * A copy of {@code base} with the contour of the S*S ground-truth mask drawn on it. The mask
     * is scaled to the base image (nearest neighbour) before the contour is traced, so the line
     * stays {@code thickness} pixels wide at the resolution that is actually shown.
     */
    public static BufferedImage maskOutline(BufferedImage base, boolean[] gt, int gtSize, Color color, int thickness) {
        checkSize(gtSize);
        if (gt == null) {
            throw new IllegalArgumentException("ground-truth mask is null");
        }
        if (gt.length != gtSize * gtSize) {
            throw new IllegalArgumentException(
                    "ground-truth mask has " + gt.length + " values, expected " + gtSize + "*" + gtSize);
        }
        if (thickness < 1) {
            throw new IllegalArgumentException("outline thickness must be >= 1, got " + thickness);
        }
        int w = base.getWidth();
        int h = base.getHeight();
        boolean[] m = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            int sy = Math.min(gtSize - 1, (int) ((y + 0.5) * gtSize / h));
            for (int x = 0; x < w; x++) {
                int sx = Math.min(gtSize - 1, (int) ((x + 0.5) * gtSize / w));
                m[y * w + x] = gt[sy * gtSize + sx];
            }
        }
        BufferedImage out = copy(base);
        int c = color.getRGB() & 0xFFFFFF;
        int r = thickness - 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (m[y * w + x] && nearOutside(m, w, h, x, y, r + 1)) {
                    out.setRGB(x, y, c);
                }
            }
        }
        return out;
    }

    /** {@code img} resampled (bilinear) to width x height as TYPE_INT_RGB. */
    public static BufferedImage scale(BufferedImage img, int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("scale target must be positive, got " + width + "x" + height);
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(img, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    // A mask pixel is on the contour when some pixel within Chebyshev distance d lies outside.
    // Pixels beyond the image border do not count as outside: a defect touching the edge is
    // not outlined along the frame.
    private static boolean nearOutside(boolean[] m, int w, int h, int x, int y, int d) {
        for (int dy = -d; dy <= d; dy++) {
            int yy = y + dy;
            if (yy < 0 || yy >= h) {
                continue;
            }
            for (int dx = -d; dx <= d; dx++) {
                int xx = x + dx;
                if (xx >= 0 && xx < w && !m[yy * w + xx]) {
                    return true;
                }
            }
        }
        return false;
    }

    private static BufferedImage copy(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static int blend(int a, int b, float alpha) {
        float k = 1 - alpha;
        int r = Math.round(k * ((a >> 16) & 0xFF) + alpha * ((b >> 16) & 0xFF));
        int g = Math.round(k * ((a >> 8) & 0xFF) + alpha * ((b >> 8) & 0xFF));
        int bl = Math.round(k * (a & 0xFF) + alpha * (b & 0xFF));
        return (r << 16) | (g << 8) | bl;
    }

    private static int clampByte(float v) {
        if (!(v > 0)) {
            return 0;
        }
        return v >= 255 ? 255 : Math.round(v);
    }

    private static void checkSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + size);
        }
    }

    private static void checkLength(String what, float[] a, int expected, String formula) {
        if (a == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (a.length != expected) {
            throw new IllegalArgumentException(
                    what + " has " + a.length + " values, expected " + formula + " = " + expected);
        }
    }
}
