package dev.aand.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.aand.nn.Module;
import java.util.List;

/**
 * A frozen ImageNet teacher CNN that yields three feature maps, finest first. Parameters live in the
 * manager the backbone was built with; whoever built it closes that manager.
 */
public interface Backbone {
    /** Registered name ("mobilenet_v1", "resnet18", ...). */
    String name();

    /** Channels and stride of each map {@link #features} returns, finest first. */
    List<FeatureLevel> levels();

    /** [N,3,H,W] float RGB in [0,255] to the network's expected input. */
    NDArray normalize(NDArray rgb255);

    /**
     * The three tap maps for an already normalised batch. BatchNorm always uses its running
     * statistics and no gradient flows into the parameters; the outputs are detached.
     */
    NDList features(NDArray normalized);

    /** The module tree, for the state dict and the parameter count. */
    Module module();
}
