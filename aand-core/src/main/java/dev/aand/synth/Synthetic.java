package dev.aand.synth;

/**
 * One synthesised training sample.
 *
 * @param image CHW RGB float[3*S*S] in [0, 255]
 * @param mask row-major float[S*S], 1 where a texture was pasted
 * @param anomalous whether the mask is non-empty
 */
public record Synthetic(float[] image, float[] mask, boolean anomalous) {}
