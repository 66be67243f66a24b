package dev.aand.model;

import ai.djl.ndarray.NDArray;
import dev.aand.engine.FusedConvolution.Activation;
import dev.aand.nn.BatchNorm2d;
import dev.aand.nn.Conv2d;
import dev.aand.nn.ConvLayer;
import dev.aand.nn.InitContext;

/**
 * RD4AD's decoder bottleneck: 1x1 reduce to {@code width} - {@code conv2} (3x3, or the 2x2
 * stride-2 transposed conv in an upsampling block) - 1x1 expand to {@code out}.
 */
public final class DecoderBottleneck extends DecoderBlock {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ConvLayer conv2;
    private final BatchNorm2d bn2;
    private final Conv2d conv3;
    private final BatchNorm2d bn3;

    /** @param upsampling true for the first block of a stage: doubles H and W */
    public DecoderBottleneck(InitContext ctx, int in, int width, int out, boolean upsampling) {
        super("DecoderBottleneck", in, width, out, upsampling);
        conv1 = child("conv1", conv1x1(ctx, in, width, 1));
        bn1 = child("bn1", new BatchNorm2d(ctx, conv1));
        conv2 = resamplingConv("conv2", ctx, width, width);
        bn2 = child("bn2", new BatchNorm2d(ctx, conv2));
        conv3 = child("conv3", conv1x1(ctx, width, out, 1));
        bn3 = child("bn3", new BatchNorm2d(ctx, conv3));
        upsampleIfNeeded(ctx, in, out);
    }

    @Override
    protected NDArray residual(NDArray x, NDArray identity) {
        NDArray y = conv1.forward(x, bn1, Activation.RELU);
        y = conv2.forward(y, bn2, Activation.RELU);
        return conv3.forwardAddRelu(y, bn3, identity);
    }
}
