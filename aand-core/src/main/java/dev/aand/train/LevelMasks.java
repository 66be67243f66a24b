package dev.aand.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/**
 * Brings a full-resolution binary mask to a feature level's grid: average-pool over each cell
 * (the official {@code AdaptiveAvgPool2d} to the level's size; the cells tile the image exactly
 * because image sizes are multiples of 32), then threshold (0.3 in the official code, strictly
 * greater), so a position counts as anomalous when enough of its receptive cell is.
 */
final class LevelMasks {
    private LevelMasks() {}

    /** @param mask [N, 1, S, S] in {0,1}; returns the covered fraction of each cell, [N, 1, h, h] */
    static NDArray coverage(NDArray mask, long levelHeight) {
        long s = mask.getShape().get(2);
        int k = (int) (s / levelHeight);
        return k == 1 ? mask : Pool.avgPool2d(mask, new Shape(k, k), new Shape(k, k), new Shape(0, 0), false, true);
    }

    /** @param mask [N, 1, S, S] in {0,1}; returns [N, 1, h, h] in {0,1}: coverage > threshold */
    static NDArray pool(NDArray mask, long levelHeight, double threshold) {
        return coverage(mask, levelHeight).gt(threshold).toType(DataType.FLOAT32, false);
    }

    static boolean[] toBooleans(NDArray binary) {
        float[] v = binary.toFloatArray();
        boolean[] out = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] > 0.5f;
        }
        return out;
    }
}
