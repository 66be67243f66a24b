package dev.aand.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.aand.engine.FusedConvolution.Activation;
import dev.aand.nn.BatchNorm2d;
import dev.aand.nn.Conv2d;
import dev.aand.nn.InitContext;
import dev.aand.nn.Module;
import dev.aand.nn.ResidualBlock;
import dev.aand.nn.Sequential;
import dev.aand.nn.Temporaries;
import java.util.Arrays;

/**
 * RD4AD's one-class bottleneck ({@code BN_layer}): brings the three teacher levels to the
 * coarsest one's resolution and channel count, concatenates them and compresses the result with
 * one strided residual stage into the embedding the student decoder starts from.
 *
 * <p>Level 1 (C1 channels) goes through two 3x3 stride-2 conv+BN+ReLU (C1 to C2 to C3), level 2
 * through one (C2 to C3); level 3 is taken as is. The concatenation (3 x C3) feeds
 * {@code bn_layer}: {@code blocks} residual blocks, the first with stride 2 and a 1x1 stride-2
 * projection. State-dict names are RD4AD's ({@code bn_layer.0.conv1.weight}, {@code conv1.weight},
 * ...), except that RD4AD's {@code conv4}/{@code bn4} are left out: RD4AD builds them but never
 * calls them, so they would only be dead weights that never receive a gradient
 * ({@link OfficialNames} drops them when reading official checkpoints).
 */
public final class OneClassBottleneck extends Module {
    private final Sequential bnLayer;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Conv2d conv3;
    private final BatchNorm2d bn3;
    private final int[] inChannels;
    private final int outChannels;

    /**
     * @param levelChannels teacher channels of levels 1, 2, 3 (finest first)
     * @param planes        planes of the residual stage (output = planes x expansion)
     * @param blocks        number of residual blocks in the stage
     * @param baseWidth     width_per_group of the blocks (64 plain, 128 wide; must be 64 for BASIC)
     */
    public OneClassBottleneck(InitContext ctx, BlockKind kind, int[] levelChannels, int planes,
            int blocks, int baseWidth) {
        if (levelChannels == null || levelChannels.length != 3) {
            throw new IllegalArgumentException("OneClassBottleneck needs the channels of 3 teacher levels, got "
                    + Arrays.toString(levelChannels));
        }
        int c1 = levelChannels[0];
        int c2 = levelChannels[1];
        int c3 = levelChannels[2];
        // Registered first so that state-dict order matches RD4AD's (bn_layer.* before conv1.*).
        ResidualStages.Stage stage = ResidualStages.encoder(ctx, kind, 3 * c3, planes, blocks, 2, baseWidth);
        this.bnLayer = child("bn_layer", stage.layers());
        this.conv1 = child("conv1", ResidualBlock.conv3x3(ctx, c1, c2, 2));
        this.bn1 = child("bn1", new BatchNorm2d(ctx, conv1));
        this.conv2 = child("conv2", ResidualBlock.conv3x3(ctx, c2, c3, 2));
        this.bn2 = child("bn2", new BatchNorm2d(ctx, conv2));
        this.conv3 = child("conv3", ResidualBlock.conv3x3(ctx, c2, c3, 2));
        this.bn3 = child("bn3", new BatchNorm2d(ctx, conv3));
        this.inChannels = levelChannels.clone();
        this.outChannels = stage.outChannels();
    }

    /**
     * @param levels teacher features, finest first: [N,C1,4h,4w], [N,C2,2h,2w], [N,C3,h,w]
     * @return the embedding [N, outChannels, ceil(h/2), ceil(w/2)]
     */
    public NDArray forward(NDList levels) {
        return Temporaries.keep(() -> bnLayer.forward(fuse(levels)));
    }

    /**
     * The multi-scale fusion before {@code bn_layer}: [level-1 branch, level-2 branch, level 3]
     * concatenated along channels, [N, 3 x C3, h, w].
     */
    public NDArray fuse(NDList levels) {
        checkLevels(levels);
        return Temporaries.keep(() -> {
            NDArray l1 = conv1.forward(levels.get(0), bn1, Activation.RELU);
            l1 = conv2.forward(l1, bn2, Activation.RELU);
            NDArray l2 = conv3.forward(levels.get(1), bn3, Activation.RELU);
            return NDArrays.concat(new NDList(l1, l2, levels.get(2)), 1);
        });
    }

    private void checkLevels(NDList levels) {
        if (levels == null || levels.size() != 3) {
            throw new IllegalArgumentException("OneClassBottleneck expects 3 teacher levels (finest first), got "
                    + (levels == null ? "null" : levels.size()));
        }
        Shape s3 = levels.get(2).getShape();
        for (int i = 0; i < 3; i++) {
            Shape s = levels.get(i).getShape();
            if (s.dimension() != 4 || s.get(1) != inChannels[i]) {
                throw new IllegalArgumentException("teacher level " + (i + 1) + " has shape " + s
                        + " but this bottleneck expects [N," + inChannels[i] + ",H,W]");
            }
            // Each stride-2 3x3 conv (padding 1) maps H to ceil(H/2); levels must land on level 3's grid.
            int halvings = 2 - i;
            if (s.get(0) != s3.get(0) || reduce(s.get(2), halvings) != s3.get(2)
                    || reduce(s.get(3), halvings) != s3.get(3)) {
                throw new IllegalArgumentException("teacher level " + (i + 1) + " has shape " + s
                        + ", which does not reduce to level 3's " + s3 + " after " + halvings
                        + " stride-2 conv(s)");
            }
        }
    }

    private static long reduce(long size, int halvings) {
        for (int i = 0; i < halvings; i++) {
            size = (size + 1) / 2;
        }
        return size;
    }

    private static NDArray relu(NDArray x) {
        return ResidualBlock.relu(x);
    }

    /** Teacher channels per level this bottleneck accepts, finest first. */
    public int[] inChannels() {
        return inChannels.clone();
    }

    /** Channels of the embedding. */
    public int outChannels() {
        return outChannels;
    }
}
