package dev.aand.model;

import ai.djl.ndarray.NDArray;
import dev.aand.engine.FusedConvolution.Activation;
import dev.aand.nn.Conv2d;
import dev.aand.nn.InitContext;
import dev.aand.nn.Module;

/** Three 1x1 convolutions C -> h -> h -> C with ReLUs between: the RAA gate and generator. */
public final class Mlp1x1 extends Module {
    private final Conv2d fc1;
    private final Conv2d fc2;
    private final Conv2d fc3;

    public Mlp1x1(InitContext ctx, int channels, int hidden) {
        fc1 = child("0", conv(ctx, channels, hidden));
        fc2 = child("2", conv(ctx, hidden, hidden));
        fc3 = child("4", conv(ctx, hidden, channels));
    }

    private static Conv2d conv(InitContext ctx, int in, int out) {
        // Weights Kaiming-normal fan_out as the official code; biases keep PyTorch's default.
        return new Conv2d(ctx, in, out, 1, 1, 0, 1, true, Conv2d.Init.KAIMING_FAN_OUT_DEFAULT_BIAS);
    }

    /** {@code last(fc3(relu(fc2(relu(fc1(x))))))}; {@code last} is fused into fc3 at inference. */
    public NDArray forward(NDArray x, Activation last) {
        return fc3.forward(fc2.forward(fc1.forward(x, null, Activation.RELU), null, Activation.RELU), null, last);
    }
}
