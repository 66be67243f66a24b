package dev.aand.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * BatchNorm over channels with torchvision's state-dict entries (weight, bias, running_mean,
 * running_var, num_batches_tracked). In training mode it normalises with batch statistics and
 * updates the running ones (momentum 0.1, PyTorch's convention); otherwise it uses the running ones.
 */
public final class BatchNorm2d extends Module {
    private final NDArray gamma;
    private final NDArray beta;
    private final NDArray runningMean;
    private final NDArray runningVar;
    private final float eps;

    public BatchNorm2d(InitContext ctx, int channels, float eps) {
        Shape s = new Shape(channels);
        this.gamma = parameter("weight", ctx.ones(s));
        this.beta = parameter("bias", ctx.zeros(s));
        this.runningMean = buffer("running_mean", ctx.zeros(s));
        this.runningVar = buffer("running_var", ctx.ones(s));
        buffer("num_batches_tracked", ctx.longScalar(0));
        this.eps = eps;
    }

    public BatchNorm2d(InitContext ctx, int channels) {
        this(ctx, channels, 1e-5f);
    }

    public NDArray forward(NDArray x) {
        // DJL passes (1 - momentum) to torch.batch_norm, so 0.9 here is torch's 0.1.
        return ai.djl.nn.norm.BatchNorm.batchNorm(
                        x, runningMean, runningVar, gamma, beta, 1, 0.9f, eps, isTraining())
                .singletonOrThrow();
    }
}
