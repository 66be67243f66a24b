package dev.aand.model;

import ai.djl.ndarray.NDArray;
import dev.aand.nn.BatchNorm2d;
import dev.aand.nn.InitContext;
import dev.aand.nn.Sequential;
import java.util.function.UnaryOperator;

/**
 * RD4AD's decoder basic block. An upsampling block (stride 2) uses a 2x2 stride-2 transposed conv
 * as {@code conv1} and a transposed-conv + BN shortcut named {@code upsample}; otherwise it is the
 * plain basic block with an identity shortcut.
 */
public final class DecoderBasicBlock extends ResidualBlock {
    private final UnaryOperator<NDArray> conv1;
    private final BatchNorm2d bn1;
    private final UnaryOperator<NDArray> conv2;
    private final BatchNorm2d bn2;
    private final Sequential upsample;
    private final int out;

    /** @param upsampling true for the first block of a stage: doubles H and W, maps inplanes to planes */
    public DecoderBasicBlock(InitContext ctx, int inplanes, int planes, boolean upsampling) {
        requirePositive("DecoderBasicBlock channels", inplanes, planes);
        if (!upsampling && inplanes != planes) {
            throw new IllegalArgumentException("DecoderBasicBlock " + inplanes + "->" + planes
                    + " changes width without upsampling; RD4AD has no such block");
        }
        if (upsampling) {
            var d = child("conv1", deconv2x2(ctx, inplanes, planes));
            this.conv1 = d::forward;
        } else {
            var c = child("conv1", conv3x3(ctx, inplanes, planes, 1));
            this.conv1 = c::forward;
        }
        this.bn1 = child("bn1", new BatchNorm2d(ctx, planes));
        var c2 = child("conv2", conv3x3(ctx, planes, planes, 1));
        this.conv2 = c2::forward;
        this.bn2 = child("bn2", new BatchNorm2d(ctx, planes));
        this.upsample = upsampling ? child("upsample", upsample(ctx, inplanes, planes)) : null;
        this.out = planes;
    }

    @Override
    public NDArray forward(NDArray x) {
        NDArray y = relu(bn1.forward(conv1.apply(x)));
        y = bn2.forward(conv2.apply(y));
        NDArray identity = upsample == null ? x : upsample.forward(x);
        return relu(y.add(identity));
    }

    @Override
    public int outChannels() {
        return out;
    }
}
