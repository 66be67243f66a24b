package dev.aand.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.aand.infer.AnomalyMapGenerator;
import dev.aand.infer.Inferencer;
import dev.aand.infer.NoGrad;

/**
 * The trained network as a DJL block for the Predictor: a batch of RGB images
 * {@code [N, 3, S, S]} in [0, 255] in, the anomaly maps {@code [N, S, S]} and image scores
 * {@code [N]} out. Its weights are our own module tree (bound by PyTorch names), so the block
 * declares no DJL parameters and is never trained through DJL.
 */
final class AandBlock extends AbstractBlock {
    private final Inferencer inferencer;
    private final int size;

    AandBlock(Inferencer inferencer, int size) {
        super((byte) 1);
        this.inferencer = inferencer;
        this.size = size;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        // The scope frees every temporary, including those derived from the weights (which DJL
        // attaches to the model's own manager and would otherwise keep until the model closes).
        try (NoGrad g = NoGrad.enter(); NDScope scope = new NDScope()) {
            NDArray input = inputs.singletonOrThrow();
            NDArray maps = inferencer.mapsOf(input);
            NDArray scores = AnomalyMapGenerator.scores(maps);
            NDScope.unregister(maps, scores);
            // The outputs belong to the caller's (the predictor's per-call) manager.
            maps.attach(input.getManager());
            scores.attach(input.getManager());
            return new NDList(maps, scores);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        return new Shape[] {new Shape(n, size, size), new Shape(n)};
    }
}
