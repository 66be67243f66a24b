package dev.aand.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.aand.nn.InitContext;
import dev.aand.nn.Module;
import dev.aand.nn.Sequential;
import java.util.Arrays;

/**
 * RD4AD's student decoder ({@code de_resnet}): three upsampling residual stages
 * {@code layer1..layer3} that turn the bottleneck embedding back into features shaped like the
 * teacher's levels 3, 2 and 1. Each stage starts with a 2x2 stride-2 transposed-conv block.
 */
public final class StudentDecoder extends Module {
    private final Sequential[] layers = new Sequential[3];
    private final int inChannels;
    private final int[] outChannels = new int[3];

    /**
     * @param inChannels channels of the bottleneck embedding
     * @param planes     planes of layer1, layer2, layer3 (coarsest stage first, as RD4AD lists them)
     * @param blocks     blocks of layer1, layer2, layer3
     * @param baseWidth  width_per_group (must be 64 for BASIC)
     */
    public StudentDecoder(InitContext ctx, BlockKind kind, int inChannels, int[] planes, int[] blocks,
            int baseWidth) {
        if (planes == null || blocks == null || planes.length != 3 || blocks.length != 3) {
            throw new IllegalArgumentException("StudentDecoder needs 3 stages, got planes "
                    + Arrays.toString(planes) + " blocks " + Arrays.toString(blocks));
        }
        int in = inChannels;
        for (int i = 0; i < 3; i++) {
            ResidualStages.Stage s = ResidualStages.decoder(ctx, kind, in, planes[i], blocks[i], baseWidth);
            layers[i] = child("layer" + (i + 1), s.layers());
            in = s.outChannels();
            outChannels[2 - i] = in;
        }
        this.inChannels = inChannels;
    }

    /**
     * @param embedding [N, inChannels, h, w]
     * @return 3 maps FINEST FIRST, matching teacher levels 1, 2, 3:
     *     [N,C1,8h,8w], [N,C2,4h,4w], [N,C3,2h,2w] (layer3, layer2, layer1 outputs; the same order
     *     as RD4AD's [feature_c, feature_b, feature_a])
     */
    public NDList forward(NDArray embedding) {
        Shape s = embedding.getShape();
        if (s.dimension() != 4 || s.get(1) != inChannels) {
            throw new IllegalArgumentException("StudentDecoder expects an embedding [N," + inChannels
                    + ",H,W] but got " + s);
        }
        NDArray coarse = layers[0].forward(embedding);
        NDArray mid = layers[1].forward(coarse);
        NDArray fine = layers[2].forward(mid);
        return new NDList(fine, mid, coarse);
    }

    public int inChannels() {
        return inChannels;
    }

    /** Output channels, finest first (equal to the teacher's level channels). */
    public int[] outChannels() {
        return outChannels.clone();
    }
}
