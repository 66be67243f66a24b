package dev.aand.nn;

import ai.djl.ndarray.NDArray;
import dev.aand.engine.FusedConvolution.Activation;

/**
 * ResNet basic block (ResNet-18/34): conv3x3 (stride) - BN - ReLU - conv3x3 - BN, plus identity or,
 * when stride or width change, a 1x1 strided projection named {@code downsample}.
 */
public final class BasicBlock extends ResidualBlock {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;

    /**
     * @param width channels between the two convs (torchvision: planes; a checkpoint may differ)
     * @param out output channels
     */
    public BasicBlock(InitContext ctx, int in, int width, int out, int stride) {
        super(out);
        requirePositive("BasicBlock channels/stride", in, width, out, stride);
        conv1 = child("conv1", conv3x3(ctx, in, width, stride));
        bn1 = child("bn1", new BatchNorm2d(ctx, conv1));
        conv2 = child("conv2", conv3x3(ctx, width, out, 1));
        bn2 = child("bn2", new BatchNorm2d(ctx, conv2));
        downsampleIfNeeded(ctx, in, out, stride);
    }

    @Override
    protected NDArray residual(NDArray x, NDArray identity) {
        NDArray y = conv1.forward(x, bn1, Activation.RELU);
        return conv2.forwardAddRelu(y, bn2, identity);
    }
}
