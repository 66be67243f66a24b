package dev.aand.backbone;

import ai.djl.ndarray.NDArray;
import dev.aand.nn.BatchNorm2d;
import dev.aand.nn.Conv2d;
import dev.aand.nn.InitContext;
import dev.aand.nn.Module;
import dev.aand.nn.Sequential;

/** A residual block of torchvision's ResNet; subclasses register children in torchvision's order. */
abstract class ResNetBlock extends Module {
    private Sequential downsample;
    private Conv2d downConv;
    private BatchNorm2d downBn;

    abstract NDArray forward(NDArray x);

    /** torchvision adds a 1x1 conv + BN shortcut when the shape changes; registered last. */
    protected void addDownsampleIfNeeded(InitContext ctx, int in, int out, int stride) {
        if (stride != 1 || in != out) {
            downConv = conv(ctx, in, out, 1, stride, 0);
            downBn = new BatchNorm2d(ctx, out);
            downsample = child("downsample", new Sequential()
                    .add(downConv, downConv::forward)
                    .add(downBn, downBn::forward));
        }
    }

    protected NDArray shortcut(NDArray x) {
        return downsample == null ? x : downsample.forward(x);
    }

    static Conv2d conv(InitContext ctx, int in, int out, int kernel, int stride, int padding) {
        return new Conv2d(ctx, in, out, kernel, stride, padding, 1, false, Conv2d.Init.KAIMING_FAN_OUT);
    }

    static NDArray relu(NDArray x) {
        return x.clip(0, Float.MAX_VALUE);
    }
}
