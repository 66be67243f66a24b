package dev.aand.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * BatchNorm over channels with torchvision's state-dict entries (weight, bias, running_mean,
 * running_var, num_batches_tracked). In training mode it normalises with batch statistics and
 * updates the running ones (momentum 0.1, PyTorch's convention); otherwise it uses the running ones.
 * When it is declared as reading one convolution's output, inference folds it into that layer
 * ({@link BatchNormFolding}) and it passes its input through.
 */
public final class BatchNorm2d extends Module {
    private final NDArray gamma;
    private final NDArray beta;
    private final NDArray runningMean;
    private final NDArray runningVar;
    private final float eps;
    private final ConvLayer input;

    public BatchNorm2d(InitContext ctx, int channels, float eps) {
        this(ctx, channels, eps, null);
    }

    public BatchNorm2d(InitContext ctx, int channels) {
        this(ctx, channels, 1e-5f, null);
    }

    /** A BatchNorm that reads only {@code input}'s output, so inference can fold it into that layer. */
    public BatchNorm2d(InitContext ctx, ConvLayer input, float eps) {
        this(ctx, Math.toIntExact(input.outChannels()), eps, input);
    }

    /** As {@link #BatchNorm2d(InitContext, ConvLayer, float)} with PyTorch's eps 1e-5. */
    public BatchNorm2d(InitContext ctx, ConvLayer input) {
        this(ctx, input, 1e-5f);
    }

    private BatchNorm2d(InitContext ctx, int channels, float eps, ConvLayer input) {
        Shape s = new Shape(channels);
        this.gamma = parameter("weight", ctx.ones(s));
        this.beta = parameter("bias", ctx.zeros(s));
        this.runningMean = buffer("running_mean", ctx.zeros(s));
        this.runningVar = buffer("running_var", ctx.ones(s));
        buffer("num_batches_tracked", ctx.longScalar(0));
        this.eps = eps;
        this.input = input;
        if (input != null) {
            input.foldBatchNorm(this);
        }
    }

    public NDArray forward(NDArray x) {
        if (input != null && input.foldsInto()) {
            return x; // folded into the convolution that produced x
        }
        // DJL passes (1 - momentum) to torch.batch_norm, so 0.9 here is torch's 0.1.
        return ai.djl.nn.norm.BatchNorm.batchNorm(
                        x, runningMean, runningVar, gamma, beta, 1, 0.9f, eps, isTraining())
                .singletonOrThrow();
    }

    /** The inference-time constants, for folding. */
    BatchNormFolding.Statistics statistics() {
        return new BatchNormFolding.Statistics(floats(gamma), floats(beta), floats(runningMean), floats(runningVar),
                eps);
    }

    private static float[] floats(NDArray x) {
        return x.toType(DataType.FLOAT32, false).toFloatArray();
    }
}
