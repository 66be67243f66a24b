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
 * ordinary differentiable ops, so gradients flow as through torch's ConvTranspose2d. An
 * element-wise activation commutes with the rearrangement, so inference fuses it into the 1x1
 * convolution.
 */
public final class ConvTranspose2d extends ConvLayer {
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

    @Override
    protected NDArray convolve(NDArray x) {
        NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(
                        x, rearrange(weight), null, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1)
                .singletonOrThrow();
        Shape s = x.getShape();
        // [n, out, a, b, h, w] -> [n, out, h, a, w, b] -> [n, out, h*k, w*k]
        return y.reshape(s.get(0), out, kernel, kernel, s.get(2), s.get(3))
                .transpose(0, 1, 4, 2, 5, 3)
                .reshape(s.get(0), out, s.get(2) * kernel, s.get(3) * kernel);
    }

    /** The 1x1 convolution to out*k*k channels. */
    @Override
    protected int[] fusedGeometry() {
        return new int[] {0, 1, 1};
    }

    /** Depth-to-space of the fused 1x1 convolution's output. */
    @Override
    protected NDArray afterFused(NDArray y) {
        Shape s = y.getShape();
        long n = s.get(0);
        long h = s.get(2);
        long wd = s.get(3);
        int k = kernel;
        if (inferenceFormat().channelsLast()) {
            // y is stored [n, h, w, out, a, b]; writing [n, h, a, w, b, out] keeps the output channels-last.
            return y.transpose(0, 2, 3, 1)
                    .reshape(n, h, wd, out, k, k)
                    .transpose(0, 1, 4, 2, 5, 3)
                    .reshape(n, h * k, wd * k, out)
                    .transpose(0, 3, 1, 2);
        }
        return y.reshape(n, out, k, k, h, wd)
                .transpose(0, 1, 4, 2, 5, 3)
                .reshape(n, out, h * k, wd * k);
    }

    @Override
    protected boolean fusesResidual() {
        return false;
    }

    /** [in, out, k, k] -> [out*k*k, in, 1, 1]: output channel (o, a, b) reads weight[:, o, a, b]. */
    @Override
    protected NDArray rearrange(NDArray wt) {
        return wt.reshape(in, (long) out * kernel * kernel).transpose().reshape(out * kernel * kernel, in, 1, 1);
    }

    @Override
    protected boolean rearranges() {
        return true;
    }

    /** One bias per output channel o, repeated for its k*k channels (o, a, b) of the 1x1 conv. */
    @Override
    protected NDArray expandBias(NDArray bias) {
        return bias.reshape(out, 1).repeat(1, (long) kernel * kernel).reshape(-1);
    }

    @Override
    protected NDArray weight() {
        return weight;
    }

    @Override
    protected NDArray bias() {
        return null;
    }

    @Override
    protected int outAxis() {
        return 1;
    }
}
