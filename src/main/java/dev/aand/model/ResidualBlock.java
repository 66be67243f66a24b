package dev.aand.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.aand.nn.BatchNorm2d;
import dev.aand.nn.Conv2d;
import dev.aand.nn.ConvTranspose2d;
import dev.aand.nn.InitContext;
import dev.aand.nn.Module;
import dev.aand.nn.Sequential;

/**
 * A residual block: {@code relu(branch(x) + shortcut(x))}. Subclasses register their layers under
 * the torchvision / RD4AD names, so state-dict keys line up with RD4AD checkpoints.
 */
public abstract class ResidualBlock extends Module {

    public abstract NDArray forward(NDArray x);

    /** Output channel count of this block. */
    public abstract int outChannels();

    static NDArray relu(NDArray x) {
        return Activation.relu(x);
    }

    /** 3x3 conv, padding 1, no bias, RD4AD's kaiming fan_out init. */
    static Conv2d conv3x3(InitContext ctx, int in, int out, int stride) {
        return new Conv2d(ctx, in, out, 3, stride, 1, 1, false, Conv2d.Init.KAIMING_FAN_OUT);
    }

    static Conv2d conv1x1(InitContext ctx, int in, int out, int stride) {
        return new Conv2d(ctx, in, out, 1, stride, 0, 1, false, Conv2d.Init.KAIMING_FAN_OUT);
    }

    /**
     * 2x2 stride-2 transposed conv. RD4AD's init loop only matches nn.Conv2d, which
     * ConvTranspose2d is not, so these keep PyTorch's default init.
     */
    static ConvTranspose2d deconv2x2(InitContext ctx, int in, int out) {
        return new ConvTranspose2d(ctx, in, out, 2, 2);
    }

    /** Projection shortcut "downsample": 1x1 conv (strided) + BN, children "0" and "1". */
    static Sequential downsample(InitContext ctx, int in, int out, int stride) {
        Conv2d conv = conv1x1(ctx, in, out, stride);
        BatchNorm2d bn = new BatchNorm2d(ctx, out);
        return new Sequential().add(conv, conv::forward).add(bn, bn::forward);
    }

    /** Projection shortcut "upsample": 2x2 stride-2 transposed conv + BN. */
    static Sequential upsample(InitContext ctx, int in, int out) {
        ConvTranspose2d conv = deconv2x2(ctx, in, out);
        BatchNorm2d bn = new BatchNorm2d(ctx, out);
        return new Sequential().add(conv, conv::forward).add(bn, bn::forward);
    }

    static void requirePositive(String what, int... values) {
        for (int v : values) {
            if (v <= 0) {
                throw new IllegalArgumentException(what + " must be positive, got " + v);
            }
        }
    }
}
