package dev.aand.model;

import dev.aand.nn.InitContext;
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
        requireBlocks(blocks);
        int outCh = planes * kind.expansion();
        boolean project = stride != 1 || inplanes != outCh;
        Sequential seq = new Sequential();
        for (int i = 0; i < blocks; i++) {
            ResidualBlock b = kind == BlockKind.BASIC
                    ? new BasicBlock(ctx, i == 0 ? inplanes : outCh, planes, i == 0 ? stride : 1, i == 0 && project)
                    : new Bottleneck(ctx, i == 0 ? inplanes : outCh, planes, i == 0 ? stride : 1, baseWidth,
                            i == 0 && project);
            seq.add(b, b::forward);
        }
        return new Stage(seq, outCh);
    }

    /** Decoder stage; its first block upsamples x2 (every stage of RD4AD's decoder does). */
    static Stage decoder(InitContext ctx, BlockKind kind, int inplanes, int planes, int blocks,
            int baseWidth) {
        requireBlocks(blocks);
        int outCh = planes * kind.expansion();
        Sequential seq = new Sequential();
        for (int i = 0; i < blocks; i++) {
            int in = i == 0 ? inplanes : outCh;
            ResidualBlock b = kind == BlockKind.BASIC
                    ? new DecoderBasicBlock(ctx, in, planes, i == 0)
                    : new DecoderBottleneck(ctx, in, planes, baseWidth, i == 0);
            seq.add(b, b::forward);
        }
        return new Stage(seq, outCh);
    }

    private static void requireBlocks(int blocks) {
        if (blocks < 1) {
            throw new IllegalArgumentException("a residual stage needs at least one block, got " + blocks);
        }
    }
}
