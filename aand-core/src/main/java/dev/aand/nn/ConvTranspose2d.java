package dev.aand.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Transposed convolution with kernel = stride and no padding (torch layout [in, out, k, k]), the
 * x2 upsampling RD4AD's decoder uses.
 *
 * <p>DJL's PyTorch engine does not implement deconvolution, so it is computed directly: with
 * kernel = stride every input pixel writes its own disjoint k x k output patch, which is a 1x1
 * convolution to out*k*k channels followed by a depth-to-space rearrangement. Both steps are
 * ordinary differentiable ops, so gradients flow as through torch's ConvTranspose2d.
 */
public final class ConvTranspose2d extends Module {
    private final NDArray weight;
    private final int in;
    private final int out;
    private final int kernel;

    public ConvTranspose2d(InitContext ctx, int in, int out, int kernel, int stride) {
        if (kernel != stride || kernel < 1) {
            throw new IllegalArgumentException("ConvTranspose2d supports only kernel == stride (non-overlapping"
                    + " patches), got kernel " + kernel + " stride " + stride);
        }
        // PyTorch's default init for ConvTranspose2d computes fan_in from weight dim 1.
        this.weight = parameter("weight",
                ctx.torchDefault(new Shape(in, out, kernel, kernel), (long) out * kernel * kernel));
        this.in = in;
        this.out = out;
        this.kernel = kernel;
    }

    public NDArray forward(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        int k = kernel;
        // [in, out, k, k] -> [out*k*k, in, 1, 1]: output channel (o, a, b) reads weight[:, o, a, b].
        NDArray w1x1 = weight.reshape(in, (long) out * k * k).transpose().reshape(out * k * k, in, 1, 1);
        NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(
                        x, w1x1, null, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1)
                .singletonOrThrow();
        // [n, out, a, b, h, w] -> [n, out, h, a, w, b] -> [n, out, h*k, w*k]
        return y.reshape(n, out, k, k, h, w)
                .transpose(0, 1, 4, 2, 5, 3)
                .reshape(n, out, h * k, w * k);
    }
}
