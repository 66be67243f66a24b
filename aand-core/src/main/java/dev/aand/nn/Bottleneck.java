package dev.aand.nn;

import ai.djl.ndarray.NDArray;
import dev.aand.engine.FusedConvolution.Activation;

/**
 * ResNet v1.5 bottleneck (ResNet-50 family): 1x1 reduce to {@code width} - 3x3 (the stride sits
 * here, as in torchvision) - 1x1 expand to {@code out}, each followed by BN (ReLU after the first
 * two), plus identity or, when stride or width change, a 1x1 strided projection named
 * {@code downsample}. The free middle width serves wide variants (width_per_group 128).
 */
public final class Bottleneck extends ResidualBlock {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Conv2d conv3;
    private final BatchNorm2d bn3;

    public Bottleneck(InitContext ctx, int in, int width, int out, int stride) {
        super(out);
        requirePositive("Bottleneck channels/stride", in, width, out, stride);
        conv1 = child("conv1", conv1x1(ctx, in, width, 1));
        bn1 = child("bn1", new BatchNorm2d(ctx, conv1));
        conv2 = child("conv2", conv3x3(ctx, width, width, stride));
        bn2 = child("bn2", new BatchNorm2d(ctx, conv2));
        conv3 = child("conv3", conv1x1(ctx, width, out, 1));
        bn3 = child("bn3", new BatchNorm2d(ctx, conv3));
        downsampleIfNeeded(ctx, in, out, stride);
    }

    @Override
    protected NDArray residual(NDArray x, NDArray identity) {
        NDArray y = conv1.forward(x, bn1, Activation.RELU);
        y = conv2.forward(y, bn2, Activation.RELU);
        return conv3.forwardAddRelu(y, bn3, identity);
    }
}
