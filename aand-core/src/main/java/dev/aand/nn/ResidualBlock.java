package dev.aand.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * A residual block, {@code relu(branch(x) + shortcut(x))}. Subclasses register their layers under
 * torchvision's / RD4AD's names (conv1, bn1, ...) and then, if the shape changes, the shortcut,
 * so state-dict keys and their order match those checkpoints.
 */
public abstract class ResidualBlock extends Module {
    private final int outChannels;
    private Sequential shortcut;

    protected ResidualBlock(int outChannels) {
        this.outChannels = outChannels;
    }

    /**
     * {@code relu(branch(x) + identity)}: the residual branch, the sum and the final ReLU (the
     * branch's last convolution takes the sum and the ReLU into its kernel at inference).
     */
    protected abstract NDArray residual(NDArray x, NDArray identity);

    public final NDArray forward(NDArray x) {
        // The branch's activations are freed as soon as the block's output exists.
        return Temporaries.keep(() -> residual(x, shortcut == null ? x : shortcut.forward(x)));
    }

    /** Output channel count of this block. */
    public final int outChannels() {
        return outChannels;
    }

    /** Registers the shortcut that reshapes {@code x}; call it after the branch's layers. */
    protected final void shortcut(String name, Sequential layers) {
        if (shortcut != null) {
            throw new IllegalStateException("shortcut already set");
        }
        shortcut = child(name, layers);
    }

    public static NDArray relu(NDArray x) {
        return Activation.relu(x);
    }

    /** 3x3 conv, padding 1, no bias, with torchvision's / RD4AD's Kaiming fan_out init. */
    public static Conv2d conv3x3(InitContext ctx, int in, int out, int stride) {
        return new Conv2d(ctx, in, out, 3, stride, 1, 1, false, Conv2d.Init.KAIMING_FAN_OUT);
    }

    public static Conv2d conv1x1(InitContext ctx, int in, int out, int stride) {
        return new Conv2d(ctx, in, out, 1, stride, 0, 1, false, Conv2d.Init.KAIMING_FAN_OUT);
    }

    /**
     * An encoder block's shortcut: when the output shape differs from the input (stride or width
     * change), a 1x1 strided conv + BN named {@code downsample} (children "0", "1"), as torchvision
     * and RD4AD build it; otherwise the identity.
     */
    protected final void downsampleIfNeeded(InitContext ctx, int in, int out, int stride) {
        if (stride != 1 || in != out) {
            Conv2d conv = conv1x1(ctx, in, out, stride);
            BatchNorm2d bn = new BatchNorm2d(ctx, conv);
            shortcut("downsample", new Sequential().add(conv, conv::forward).add(bn, bn::forward));
        }
    }

    protected static void requirePositive(String what, int... values) {
        for (int v : values) {
            if (v <= 0) {
                throw new IllegalArgumentException(what + " must be positive, got " + v);
            }
        }
    }
}
