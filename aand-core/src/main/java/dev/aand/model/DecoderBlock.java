package dev.aand.model;

import ai.djl.ndarray.NDArray;
import dev.aand.nn.BatchNorm2d;
import dev.aand.nn.ConvLayer;
import dev.aand.nn.ConvTranspose2d;
import dev.aand.nn.InitContext;
import dev.aand.nn.ResidualBlock;
import dev.aand.nn.Sequential;

/**
 * What RD4AD's decoder blocks share: the first block of a stage doubles H and W with a 2x2
 * stride-2 transposed conv in its branch and a transposed-conv + BN shortcut named
 * {@code upsample}; every other block keeps its shape and has an identity shortcut.
 */
abstract class DecoderBlock extends ResidualBlock {
    private final boolean upsampling;

    DecoderBlock(String what, int in, int width, int out, boolean upsampling) {
        super(out);
        requirePositive(what + " channels", in, width, out);
        if (!upsampling && in != out) {
            throw new IllegalArgumentException(what + " " + in + "->" + out
                    + " changes width without upsampling; RD4AD has no such block");
        }
        this.upsampling = upsampling;
    }

    /** Registers {@code name}: the transposed conv in an upsampling block, else a 3x3 conv. */
    final ConvLayer resamplingConv(String name, InitContext ctx, int in, int out) {
        return upsampling ? child(name, deconv2x2(ctx, in, out)) : child(name, conv3x3(ctx, in, out, 1));
    }

    /** Registers the {@code upsample} shortcut of an upsampling block; call after the branch. */
    final void upsampleIfNeeded(InitContext ctx, int in, int out) {
        if (upsampling) {
            ConvTranspose2d deconv = deconv2x2(ctx, in, out);
            BatchNorm2d bn = new BatchNorm2d(ctx, deconv);
            shortcut("upsample", new Sequential().add(deconv, deconv::forward).add(bn, bn::forward));
        }
    }

    /**
     * 2x2 stride-2 transposed conv. RD4AD's init loop only matches nn.Conv2d, which
     * ConvTranspose2d is not, so these keep PyTorch's default init.
     */
    private static ConvTranspose2d deconv2x2(InitContext ctx, int in, int out) {
        return new ConvTranspose2d(ctx, in, out, 2, 2);
    }
}
