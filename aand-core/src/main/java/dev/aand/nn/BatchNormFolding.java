package dev.aand.nn;

/**
 * Folds an inference-mode BatchNorm into the convolution that feeds it:
 * {@code BN(conv(x)) = conv'(x)} with {@code w' = w * s} per output channel and
 * {@code b' = (b - mean) * s + beta}, where {@code s = gamma / sqrt(var + eps)}. Computed in double
 * precision on the host, then rounded once to float, so a folded layer differs from the unfolded
 * pair only by float32 rounding.
 */
public final class BatchNormFolding {
    private BatchNormFolding() {}

    /**
     * The folded weights and bias.
     *
     * @param weight the convolution's weights, row-major
     * @param bias its bias, or null for none
     * @param outAxisSize output channels
     * @param inner elements per output channel after the output axis (weights whose output axis is
     *     not the first, like a transposed conv's [in, out, k, k], repeat the pattern per leading index)
     * @param bn the BatchNorm statistics and affine parameters
     * @return {folded weight, folded bias[outAxisSize]}
     */
    public static float[][] fold(float[] weight, float[] bias, int outAxisSize, int inner, Statistics bn) {
        if (bn.gamma().length != outAxisSize || (bias != null && bias.length != outAxisSize)) {
            throw new IllegalArgumentException("BatchNorm of " + bn.gamma().length + " channels cannot fold into a layer"
                    + " with " + outAxisSize + " output channels");
        }
        if (weight.length % ((long) outAxisSize * inner) != 0) {
            throw new IllegalArgumentException("weight of " + weight.length + " values is not a multiple of "
                    + outAxisSize + " x " + inner);
        }
        double[] scale = new double[outAxisSize];
        float[] b = new float[outAxisSize];
        for (int o = 0; o < outAxisSize; o++) {
            scale[o] = bn.gamma()[o] / Math.sqrt((double) bn.runningVar()[o] + bn.eps());
            double b0 = bias == null ? 0.0 : bias[o];
            b[o] = (float) ((b0 - bn.runningMean()[o]) * scale[o] + bn.beta()[o]);
        }
        float[] w = new float[weight.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (weight[i] * scale[(i / inner) % outAxisSize]);
        }
        return new float[][] {w, b};
    }

    /**
     * A BatchNorm's inference-time constants.
     *
     * @param gamma scale (weight)
     * @param beta shift (bias)
     * @param runningMean running mean
     * @param runningVar running variance
     * @param eps added to the variance
     */
    public record Statistics(float[] gamma, float[] beta, float[] runningMean, float[] runningVar, double eps) {}
}
