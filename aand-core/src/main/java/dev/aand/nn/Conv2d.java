package dev.aand.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** 2D convolution with symmetric padding, torch weight layout [out, in/groups, k, k]. */
public final class Conv2d extends Module {
    private final NDArray weight;
    private final NDArray bias;
    private final Shape stride;
    private final Shape padding;
    private final int groups;

    public Conv2d(InitContext ctx, int in, int out, int kernel, int stride, int padding,
            int groups, boolean bias, Init init) {
        Shape w = new Shape(out, in / groups, kernel, kernel);
        long fanIn = (long) in / groups * kernel * kernel;
        this.weight = parameter("weight", init == Init.TORCH_DEFAULT
                ? ctx.torchDefault(w, fanIn) : ctx.kaimingNormalFanOut(w));
        this.bias = bias ? parameter("bias", init == Init.KAIMING_FAN_OUT
                ? ctx.zeros(new Shape(out)) : ctx.torchDefault(new Shape(out), fanIn)) : null;
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
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

    public NDArray forward(NDArray x) {
        return ai.djl.nn.convolutional.Conv2d.conv2d(
                        x, weight, bias, stride, padding, new Shape(1, 1), groups)
                .singletonOrThrow();
    }

    public long outChannels() {
        return weight.getShape().get(0);
    }
}
