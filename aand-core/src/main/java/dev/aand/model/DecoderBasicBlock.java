package dev.aand.model;

import ai.djl.ndarray.NDArray;
import dev.aand.engine.FusedConvolution.Activation;
import dev.aand.nn.BatchNorm2d;
import dev.aand.nn.Conv2d;
import dev.aand.nn.ConvLayer;
import dev.aand.nn.InitContext;

/**
 * RD4AD's decoder basic block: {@code conv1} (3x3, or the 2x2 stride-2 transposed conv in an
 * upsampling block) - BN - ReLU - conv3x3 - BN.
 */
public final class DecoderBasicBlock extends DecoderBlock {
    private final ConvLayer conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;

    /**
     * @param width channels between the two convs (RD4AD: planes)
     * @param upsampling true for the first block of a stage: doubles H and W, maps in to out channels
     */
    public DecoderBasicBlock(InitContext ctx, int in, int width, int out, boolean upsampling) {
        super("DecoderBasicBlock", in, width, out, upsampling);
        conv1 = resamplingConv("conv1", ctx, in, width);
        bn1 = child("bn1", new BatchNorm2d(ctx, conv1));
        conv2 = child("conv2", conv3x3(ctx, width, out, 1));
        bn2 = child("bn2", new BatchNorm2d(ctx, conv2));
        upsampleIfNeeded(ctx, in, out);
    }

    @Override
    protected NDArray residual(NDArray x, NDArray identity) {
        NDArray y = conv1.forward(x, bn1, Activation.RELU);
        return conv2.forwardAddRelu(y, bn2, identity);
    }
}
