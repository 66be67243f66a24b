package dev.aand.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import dev.aand.engine.FusedConvolution.Activation;
import dev.aand.nn.BasicBlock;
import dev.aand.nn.BatchNorm2d;
import dev.aand.nn.Bottleneck;
import dev.aand.nn.Conv2d;
import dev.aand.nn.InitContext;
import dev.aand.nn.Linear;
import dev.aand.nn.Module;
import dev.aand.nn.ModuleList;
import dev.aand.nn.ResidualBlock;
import dev.aand.nn.Temporaries;
import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's ResNet with its exact module names, so torchvision state dicts bind by key. The
 * teacher taps layer1..layer3; layer4, avgpool and fc exist only when built {@code full} (to
 * compare the complete state dict), since the teacher never evaluates them.
 */
public final class ResNet extends Module implements Backbone {
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final ResNetSpec spec;
    private final boolean full;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final List<ModuleList<ResidualBlock>> stages = new ArrayList<>();
    private final List<FeatureLevel> levels;

    /**
     * Builds the network with torchvision's initialisation (Kaiming-normal fan_out convs, BN 1/0)
     * drawn from the context's seeded generator, in inference mode and frozen.
     */
    public ResNet(InitContext ctx, ResNetSpec spec, boolean full) {
        this.spec = spec;
        this.full = full;
        conv1 = child("conv1", new Conv2d(ctx, 3, spec.stem(), 7, 2, 3, 1, false, Conv2d.Init.KAIMING_FAN_OUT));
        bn1 = child("bn1", new BatchNorm2d(ctx, conv1));
        int[] blocks = spec.blocks();
        int[] widths = spec.widths();
        int[] outs = spec.outs();
        int in = spec.stem();
        int stageCount = full ? 4 : 3;
        for (int s = 0; s < stageCount; s++) {
            // A torchvision layerN: blocks named 0, 1, ...
            ModuleList<ResidualBlock> stage = child("layer" + (s + 1), new ModuleList<>());
            for (int b = 0; b < blocks[s]; b++) {
                int stride = b == 0 && s > 0 ? 2 : 1;
                stage.add(spec.bottleneck()
                        ? new Bottleneck(ctx, in, widths[s], outs[s], stride)
                        : new BasicBlock(ctx, in, widths[s], outs[s], stride));
                in = outs[s];
            }
            stages.add(stage);
        }
        if (full) {
            child("fc", new Linear(ctx, in, spec.numClasses()));
        }
        levels = List.of(new FeatureLevel(outs[0], 4), new FeatureLevel(outs[1], 8),
                new FeatureLevel(outs[2], 16));
        train(false);
        freeze();
    }

    /** Convenience: a randomly initialised network from a seed. */
    public static ResNet random(NDManager manager, ResNetSpec spec, boolean full, long seed) {
        return new ResNet(new InitContext(manager, seed), spec, full);
    }

    public ResNetSpec spec() {
        return spec;
    }

    public boolean isFull() {
        return full;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public List<FeatureLevel> levels() {
        return levels;
    }

    /** ImageNet statistics: (x / 255 - mean) / std per channel. */
    @Override
    public NDArray normalize(NDArray rgb255) {
        NDManager m = rgb255.getManager();
        try (NDArray mean = m.create(MEAN, new Shape(1, 3, 1, 1));
                NDArray std = m.create(STD, new Shape(1, 3, 1, 1));
                NDArray scaled = rgb255.div(255f);
                NDArray centred = scaled.sub(mean)) {
            return centred.div(std);
        }
    }

    @Override
    public NDList features(NDArray x) {
        if (isTraining()) {
            train(false);
        }
        NDList out = new NDList(3);
        // Intermediates die with the scope; only the three taps outlive the call.
        try (NDScope scope = new NDScope()) {
            NDArray y = Temporaries.keep(() -> Pool.maxPool2d(conv1.forward(x, bn1, Activation.RELU),
                    new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false));
            for (int s = 0; s < 3; s++) {
                for (ResidualBlock b : stages.get(s)) {
                    NDArray in = y;
                    y = b.forward(in);
                    in.close(); // only y is read from here on; freeing early bounds the peak
                }
                NDArray tap = y.stopGradient();
                NDScope.unregister(tap);
                out.add(tap);
            }
        }
        // Hand the taps to the caller's scope, if any, as if they had been created there.
        out.forEach(NDScope::register);
        return out;
    }

    @Override
    public Module module() {
        return this;
    }
}
