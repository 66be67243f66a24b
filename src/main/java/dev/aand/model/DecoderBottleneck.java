package dev.aand.model;

import ai.djl.ndarray.NDArray;
import dev.aand.nn.BatchNorm2d;
import dev.aand.nn.Conv2d;
import dev.aand.nn.InitContext;
import dev.aand.nn.Sequential;
import java.util.function.UnaryOperator;

/**
 * RD4AD's decoder bottleneck: 1x1 - (3x3 or 2x2 stride-2 transposed) - 1x1 expand to
 * {@code 4 * planes}. An upsampling block puts the transposed conv in {@code conv2} and has a
 * transposed-conv + BN shortcut named {@code upsample}.
 */
public final class DecoderBottleneck extends ResidualBlock {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final UnaryOperator<NDArray> conv2;
    private final BatchNorm2d bn2;
    private final Conv2d conv3;
    private final BatchNorm2d bn3;
    private final Sequential upsample;
    private final int out;

    /** @param upsampling true for the first block of a stage: doubles H and W */
    public DecoderBottleneck(InitContext ctx, int inplanes, int planes, int baseWidth, boolean upsampling) {
        requirePositive("DecoderBottleneck channels/base width", inplanes, planes, baseWidth);
        int width = Bottleneck.width(planes, baseWidth);
        int outCh = planes * BlockKind.BOTTLENECK.expansion();
        if (!upsampling && inplanes != outCh) {
            throw new IllegalArgumentException("DecoderBottleneck " + inplanes + "->" + outCh
                    + " changes width without upsampling; RD4AD has no such block");
        }
        this.conv1 = child("conv1", conv1x1(ctx, inplanes, width, 1));
        this.bn1 = child("bn1", new BatchNorm2d(ctx, width));
        if (upsampling) {
            var d = child("conv2", deconv2x2(ctx, width, width));
            this.conv2 = d::forward;
        } else {
            var c = child("conv2", conv3x3(ctx, width, width, 1));
            this.conv2 = c::forward;
        }
        this.bn2 = child("bn2", new BatchNorm2d(ctx, width));
        this.conv3 = child("conv3", conv1x1(ctx, width, outCh, 1));
        this.bn3 = child("bn3", new BatchNorm2d(ctx, outCh));
        this.upsample = upsampling ? child("upsample", upsample(ctx, inplanes, outCh)) : null;
        this.out = outCh;
    }

    @Override
    public NDArray forward(NDArray x) {
        NDArray y = relu(bn1.forward(conv1.forward(x)));
        y = relu(bn2.forward(conv2.apply(y)));
        y = bn3.forward(conv3.forward(y));
        NDArray identity = upsample == null ? x : upsample.forward(x);
        return relu(y.add(identity));
    }

    @Override
    public int outChannels() {
        return out;
    }
}
