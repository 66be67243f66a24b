package dev.aand.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Fully connected layer with torch layout: weight [out, in], bias [out]; PyTorch's default init. */
public final class Linear extends Module {
    private final NDArray weight;
    private final NDArray bias;

    public Linear(InitContext ctx, int in, int out) {
        this.weight = parameter("weight", ctx.torchDefault(new Shape(out, in), in));
        this.bias = parameter("bias", ctx.torchDefault(new Shape(out), in));
    }

    /** x: [N, in] -> [N, out]. */
    public NDArray forward(NDArray x) {
        return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
    }
}
