package dev.aand.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Transposed convolution (torch layout [in, out, k, k]), no padding, used to upsample x2. */
public final class ConvTranspose2d extends Module {
    private final NDArray weight;
    private final Shape stride;

    public ConvTranspose2d(InitContext ctx, int in, int out, int kernel, int stride) {
        // PyTorch's default init for ConvTranspose2d computes fan_in from weight dim 1.
        this.weight = parameter("weight",
                ctx.torchDefault(new Shape(in, out, kernel, kernel), (long) out * kernel * kernel));
        this.stride = new Shape(stride, stride);
    }

    public NDArray forward(NDArray x) {
        return ai.djl.nn.convolutional.Conv2dTranspose.conv2dTranspose(
                        x, weight, null, stride, new Shape(0, 0), new Shape(0, 0), new Shape(1, 1), 1)
                .singletonOrThrow();
    }
}
