package dev.aand.model;

import ai.djl.ndarray.NDArray;
import dev.aand.nn.BatchNorm2d;
import dev.aand.nn.Conv2d;
import dev.aand.nn.InitContext;
import dev.aand.nn.Sequential;

/**
 * Encoder-style ResNet basic block: conv3x3 (stride) - BN - ReLU - conv3x3 - BN, plus identity or
 * a 1x1 strided projection named {@code downsample}.
 */
public final class BasicBlock extends ResidualBlock {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Sequential downsample;
    private final int out;

    /**
     * @param project whether the shortcut is a 1x1 conv + BN (needed when stride or width change)
     */
    public BasicBlock(InitContext ctx, int inplanes, int planes, int stride, boolean project) {
        requirePositive("BasicBlock channels/stride", inplanes, planes, stride);
        if (!project && (stride != 1 || inplanes != planes)) {
            throw new IllegalArgumentException("BasicBlock " + inplanes + "->" + planes + " stride "
                    + stride + " needs a projection shortcut");
        }
        this.conv1 = child("conv1", conv3x3(ctx, inplanes, planes, stride));
        this.bn1 = child("bn1", new BatchNorm2d(ctx, planes));
        this.conv2 = child("conv2", conv3x3(ctx, planes, planes, 1));
        this.bn2 = child("bn2", new BatchNorm2d(ctx, planes));
        this.downsample = project ? child("downsample", downsample(ctx, inplanes, planes, stride)) : null;
        this.out = planes;
    }

    @Override
    public NDArray forward(NDArray x) {
        NDArray y = relu(bn1.forward(conv1.forward(x)));
        y = bn2.forward(conv2.forward(y));
        NDArray identity = downsample == null ? x : downsample.forward(x);
        return relu(y.add(identity));
    }

    @Override
    public int outChannels() {
        return out;
    }
}
