package dev.aand.data;

import dev.aand.config.Ids;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * How an image file becomes the network's square RGB input (values 0..255; each backbone then
 * applies its own normalisation, ImageNet mean/std for the ResNets). A model records its choice in
 * its configuration so that testing and prediction prepare images the way its weights expect.
 */
public enum Preprocessing {
    /** This project's: antialiased bicubic resize computed in floating point, no rounding. */
    AAND("aand"),
    /**
     * The official AAND code's test transform, {@code Resize((S, S), BICUBIC)} on the 8-bit PIL
     * image: samples as stored (no colour profile applied, as PIL) and PIL's 8-bit fixed-point
     * resize, bit for bit, so values stay integers 0..255.
     */
    OFFICIAL("official");

    private final String id;

    Preprocessing(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** By {@link #id()}, case-insensitive; IllegalArgumentException naming the valid ids. */
    public static Preprocessing parse(String id) {
        return Ids.parse(values(), Preprocessing::id, id, "preprocessing");
    }

    /** Reads {@code file} as {@code float[3*size*size]} CHW RGB in [0, 255] (aspect ratio not kept). */
    public float[] load(Path file, int size) {
        return resize(ImageLoader.fromImage(decode(file)), size);
    }

    /**
     * Decodes {@code file} at its own size: with its colour profile applied ({@link #AAND}, as
     * ImageIO does) or with the samples as stored ({@link #OFFICIAL}, as PIL does).
     */
    public BufferedImage decode(Path file) {
        return this == AAND ? ImageLoader.decode(file) : ImageLoader.decodeAsStored(file);
    }

    /** A decoded image as the square network input, {@code float[3*size*size]} CHW in [0, 255]. */
    public float[] resize(ImageLoader.Decoded d, int size) {
        if (this == AAND) {
            return ImageLoader.resize(d, size);
        }
        if (size <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + size);
        }
        // PIL returns a copy, not a resample, when the size already matches.
        return d.width() == size && d.height() == size ? d.rgb()
                : BicubicResampler.resizeUint8(d.rgb(), 3, d.height(), d.width(), size, size);
    }
}
