package dev.aand.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The fixed 2D sin/cos position encoding added to the gate's input (the CFlow formula): the first
 * C/2 channels encode the column, the last C/2 the row, each as interleaved sin/cos pairs with
 * frequencies exp(-2j ln(10000) / (C/2)). Recomputed on demand, never saved.
 */
public final class PositionEncoding {
    private PositionEncoding() {}

    /** Values of the [C, H, W] encoding, row-major. C must be a multiple of 4. */
    public static float[] values(int channels, int height, int width) {
        if (channels % 4 != 0) {
            throw new IllegalArgumentException("position encoding needs channels divisible by 4: " + channels);
        }
        int d = channels / 2;
        float[] pe = new float[channels * height * width];
        for (int j = 0; j < d / 2; j++) {
            double div = StrictMath.exp(-(2.0 * j) * StrictMath.log(10000.0) / d);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int pos = y * width + x;
                    pe[(2 * j) * height * width + pos] = (float) StrictMath.sin(x * div);
                    pe[(2 * j + 1) * height * width + pos] = (float) StrictMath.cos(x * div);
                    pe[(d + 2 * j) * height * width + pos] = (float) StrictMath.sin(y * div);
                    pe[(d + 2 * j + 1) * height * width + pos] = (float) StrictMath.cos(y * div);
                }
            }
        }
        return pe;
    }

    public static NDArray create(NDManager manager, int channels, int height, int width) {
        return manager.create(values(channels, height, width), new Shape(1, channels, height, width));
    }
}
