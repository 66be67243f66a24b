package dev.aand.api;

import ai.djl.Model;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aand.data.ImageLoader;
import dev.aand.data.Preprocessing;
import java.awt.image.BufferedImage;

/**
 * An image already through a model's pre-processing (decoded, resized to the model's size,
 * normalised), with the size it had before. A Predictor of {@code PreparedImage} (see
 * {@link Aand#builder(java.nio.file.Path, Class)}) runs only the engine, so a server can prepare
 * images on its request threads while the engine scores the previous batch.
 *
 * @param width the original image's width (the map at input size has it)
 * @param height the original image's height
 * @param size the model's image size the pixels were resized to
 * @param pixels {@code 3 * size * size} values, channel-major (CHW)
 */
public record PreparedImage(int width, int height, int size, float[] pixels) {
    public PreparedImage {
        if (width < 1 || height < 1 || size < 1 || pixels.length != 3L * size * size) {
            throw new IllegalArgumentException("a prepared image of " + width + "x" + height + " needs 3x" + size
                    + "x" + size + " values, got " + pixels.length);
        }
    }

    /** {@code image} prepared for {@code model}, a model loaded through {@link Aand}. */
    public static PreparedImage of(Image image, Model model) {
        String size = model.getProperty("imageSize");
        String preprocessing = model.getProperty(Aand.PREPROCESSING);
        if (size == null || preprocessing == null) {
            throw new IllegalArgumentException("model " + model.getName() + " was not loaded through Aand.criteria");
        }
        return of(image, Integer.parseInt(size), Preprocessing.parse(preprocessing));
    }

    static PreparedImage of(Image image, int size, Preprocessing preprocessing) {
        ImageLoader.Decoded d = decode(image);
        return new PreparedImage(d.width(), d.height(), size, preprocessing.resize(d, size));
    }

    private static ImageLoader.Decoded decode(Image image) {
        if (image.getWrappedImage() instanceof BufferedImage bi) {
            return ImageLoader.fromImage(bi);
        }
        // Another ImageFactory (e.g. OpenCV): take its 8-bit RGB pixels.
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = toArgb(image);
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        bi.setRGB(0, 0, w, h, argb, 0, w);
        return ImageLoader.fromImage(bi);
    }

    private static int[] toArgb(Image image) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray hwc = image.toNDArray(m, Image.Flag.COLOR); // [H, W, 3] uint8
            byte[] b = hwc.toByteArray();
            int[] px = new int[b.length / 3];
            for (int i = 0; i < px.length; i++) {
                px[i] = ((b[3 * i] & 0xff) << 16) | ((b[3 * i + 1] & 0xff) << 8) | (b[3 * i + 2] & 0xff);
            }
            return px;
        }
    }
}
