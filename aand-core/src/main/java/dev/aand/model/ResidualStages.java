package dev.aand.model;

import dev.aand.nn.BasicBlock;
import dev.aand.nn.Bottleneck;
import dev.aand.nn.InitContext;
import dev.aand.nn.ResidualBlock;
import dev.aand.nn.Sequential;

/**
 * Builds a stage of residual blocks as a {@link Sequential} (children "0", "1", ...), the way
 * torchvision's and RD4AD's {@code _make_layer} do: only the first block changes resolution or
 * width, the rest keep {@code planes * expansion} channels.
 */
final class ResidualStages {
    private ResidualStages() {}

    /** Result of building a stage: the module and its output channel count. */
    record Stage(Sequential layers, int outChannels) {}

    /** Encoder stage; the first block gets a projection shortcut if stride or width change. */
    static Stage encoder(InitContext ctx, BlockKind kind, int inplanes, int planes, int blocks,
            int stride, int baseWidth) {
        int width = width(kind, planes, baseWidth);
        int out = planes * kind.expansion();
        return build(inplanes, out, blocks, (in, first) -> kind == BlockKind.BASIC
                ? new BasicBlock(ctx, in, width, out, first ? stride : 1)
                : new Bottleneck(ctx, in, width, out, first ? stride : 1));
    }

    /** Decoder stage; its first block upsamples x2 (every stage of RD4AD's decoder does). */
    static Stage decoder(InitContext ctx, BlockKind kind, int inplanes, int planes, int blocks,
            int baseWidth) {
        int width = width(kind, planes, baseWidth);
        int out = planes * kind.expansion();
        return build(inplanes, out, blocks, (in, first) -> kind == BlockKind.BASIC
                ? new DecoderBasicBlock(ctx, in, width, out, first)
                : new DecoderBottleneck(ctx, in, width, out, first));
    }

    /** Makes one block of a stage; only the {@code first} one changes the shape. */
    private interface BlockMaker {
        ResidualBlock make(int in, boolean first);
    }

    private static Stage build(int inplanes, int out, int blocks, BlockMaker maker) {
        if (blocks < 1) {
            throw new IllegalArgumentException("a residual stage needs at least one block, got " + blocks);
        }
        Sequential seq = new Sequential();
        for (int i = 0; i < blocks; i++) {
            ResidualBlock b = maker.make(i == 0 ? inplanes : out, i == 0);
            seq.add(b, b::forward);
        }
        return new Stage(seq, out);
    }

    /**
     * Channels inside a block: planes for a basic block; torchvision's
     * {@code int(planes * baseWidth / 64)} for a bottleneck (groups fixed at 1).
     */
    private static int width(BlockKind kind, int planes, int baseWidth) {
        if (kind == BlockKind.BASIC) {
            return planes;
        }
        if (baseWidth <= 0) {
            throw new IllegalArgumentException("bottleneck base width must be positive, got " + baseWidth);
        }
        return (int) (planes * (baseWidth / 64.0));
    }

}
