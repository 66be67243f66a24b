package dev.aand.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/**
 * Brings a full-resolution binary mask to a feature level's grid: average-pool over each cell,
 * then threshold (0.3 in the official code), so a position counts as anomalous when enough of its
 * receptive cell is.
 */
final class LevelMasks {
    private LevelMasks() {}

    /** @param mask [N, 1, S, S] in {0,1}; returns [N, 1, h, w] in {0,1} for the given level size */
    static NDArray pool(NDArray mask, long levelHeight, double threshold) {
        long s = mask.getShape().get(2);
        int k = (int) (s / levelHeight);
        NDArray pooled = k == 1 ? mask : Pool.avgPool2d(mask, new Shape(k, k), new Shape(k, k), new Shape(0, 0), false, true);
        return pooled.gt(threshold).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
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
