package dev.aand.model;

import ai.djl.ndarray.NDArray;
import dev.aand.nn.BatchNorm2d;
import dev.aand.nn.Conv2d;
import dev.aand.nn.InitContext;
import dev.aand.nn.Sequential;

/**
 * Encoder-style ResNet v1.5 bottleneck: 1x1 reduce to {@code width} - 3x3 (stride) - 1x1 expand
 * to {@code 4 * planes}, each followed by BN (ReLU after the first two), plus identity or a 1x1
 * strided projection named {@code downsample}. {@code width = planes * baseWidth / 64}, so
 * baseWidth 128 gives Wide-ResNet blocks.
 */
public final class Bottleneck extends ResidualBlock {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Conv2d conv3;
    private final BatchNorm2d bn3;
    private final Sequential downsample;
    private final int out;

    public Bottleneck(InitContext ctx, int inplanes, int planes, int stride, int baseWidth,
            boolean project) {
        requirePositive("Bottleneck channels/stride/base width", inplanes, planes, stride, baseWidth);
        int width = width(planes, baseWidth);
        int outCh = planes * BlockKind.BOTTLENECK.expansion();
        if (!project && (stride != 1 || inplanes != outCh)) {
            throw new IllegalArgumentException("Bottleneck " + inplanes + "->" + outCh + " stride "
                    + stride + " needs a projection shortcut");
        }
        this.conv1 = child("conv1", conv1x1(ctx, inplanes, width, 1));
        this.bn1 = child("bn1", new BatchNorm2d(ctx, width));
        this.conv2 = child("conv2", conv3x3(ctx, width, width, stride));
        this.bn2 = child("bn2", new BatchNorm2d(ctx, width));
        this.conv3 = child("conv3", conv1x1(ctx, width, outCh, 1));
        this.bn3 = child("bn3", new BatchNorm2d(ctx, outCh));
        this.downsample = project ? child("downsample", downsample(ctx, inplanes, outCh, stride)) : null;
        this.out = outCh;
    }

    /** torchvision's inner width: int(planes * baseWidth / 64) (groups fixed at 1). */
    static int width(int planes, int baseWidth) {
        return (int) (planes * (baseWidth / 64.0));
    }

    @Override
    public NDArray forward(NDArray x) {
        NDArray y = relu(bn1.forward(conv1.forward(x)));
        y = relu(bn2.forward(conv2.forward(y)));
        y = bn3.forward(conv3.forward(y));
        NDArray identity = downsample == null ? x : downsample.forward(x);
        return relu(y.add(identity));
    }

    @Override
    public int outChannels() {
        return out;
    }
}
