package dev.aand.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** 2D convolution with symmetric padding, torch weight layout [out, in/groups, k, k]. */
public final class Conv2d extends ConvLayer {
    private final NDArray weight;
    private final NDArray bias;
    private final int stride;
    private final int padding;
    private final int groups;

    public Conv2d(InitContext ctx, int in, int out, int kernel, int stride, int padding,
            int groups, boolean bias, Init init) {
        Shape w = new Shape(out, in / groups, kernel, kernel);
        long fanIn = (long) in / groups * kernel * kernel;
        this.weight = parameter("weight", init == Init.TORCH_DEFAULT
                ? ctx.torchDefault(w, fanIn) : ctx.kaimingNormalFanOut(w));
        this.bias = bias ? parameter("bias", init == Init.KAIMING_FAN_OUT
                ? ctx.zeros(new Shape(out)) : ctx.torchDefault(new Shape(out), fanIn)) : null;
        this.stride = stride;
        this.padding = padding;
        this.groups = groups;
    }

    /** How a new layer's weights are drawn. */
    public enum Init {
        /** torchvision / RD4AD convs. */
        KAIMING_FAN_OUT,
        /** Kaiming-normal fan_out weights with PyTorch's default bias (the RAA MLPs). */
        KAIMING_FAN_OUT_DEFAULT_BIAS,
        /** PyTorch's layer default. */
        TORCH_DEFAULT
    }

    @Override
    protected NDArray convolve(NDArray x) {
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight, bias, new Shape(stride, stride),
                        new Shape(padding, padding), new Shape(1, 1), groups)
                .singletonOrThrow();
    }

    @Override
    protected int[] fusedGeometry() {
        return new int[] {padding, stride, groups};
    }

    @Override
    protected NDArray weight() {
        return weight;
    }

    @Override
    protected NDArray bias() {
        return bias;
    }

    @Override
    protected int outAxis() {
        return 0;
    }
}
