package dev.aand.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aand.engine.FusedConvolution;
import dev.aand.engine.FusedConvolution.Activation;
import dev.aand.engine.Scalars;
import dev.aand.engine.TensorFormats;

/**
 * What convolutions share: a weight whose output channels sit on axis {@code outAxis}, an
 * optional bias, the BatchNorm that reads this layer's output (declared with
 * {@link BatchNorm2d#BatchNorm2d(InitContext, ConvLayer, float)}), and an inference copy of the
 * weights with that BatchNorm folded in, in the inference precision.
 *
 * <p>{@link #forward(NDArray, BatchNorm2d, Activation)} and {@link #forwardAddRelu} compute
 * {@code activation(bn(conv(x)))} and {@code relu(bn(conv(x)) + residual)}: in training and
 * unprepared evaluation with exactly the separate operations they name; after
 * {@link Module#prepareInference} in one fused oneDNN kernel with the folded weights.
 */
public abstract class ConvLayer extends Module {
    private BatchNorm2d foldedBatchNorm;
    private NDArray inferenceWeight;
    private NDArray inferenceBias;
    private boolean ownsInferenceWeight;
    private boolean prepared;
    /** The prepacked kernel, made at the first inference call (it needs an input shape). */
    private volatile FusedConvolution kernel;

    /** The stored weight. */
    protected abstract NDArray weight();

    /** The stored bias, or null. */
    protected abstract NDArray bias();

    /** Axis of {@link #weight()} that indexes output channels. */
    protected abstract int outAxis();

    /** The convolution alone with the stored weights (training and unprepared evaluation). */
    protected abstract NDArray convolve(NDArray x);

    /** Padding, stride and groups of the convolution the fused kernel computes. */
    protected abstract int[] fusedGeometry();

    /** What follows the fused kernel (e.g. a rearrangement that commutes with the activation). */
    protected NDArray afterFused(NDArray y) {
        return y;
    }

    /** Whether the fused kernel can add a residual (false when {@link #afterFused} rearranges). */
    protected boolean fusesResidual() {
        return true;
    }

    /** Output channels. */
    public final long outChannels() {
        return weight().getShape().get(outAxis());
    }

    /**
     * The convolution; after {@link Module#prepareInference} with its BatchNorm folded in (that
     * BatchNorm's own forward then passes its input through).
     */
    public final NDArray forward(NDArray x) {
        return prepared() ? inference(x, Activation.NONE) : convolve(x);
    }

    /**
     * {@code activation(bn(conv(x)))}.
     *
     * @param bn this layer's declared BatchNorm, or null when none follows
     */
    public final NDArray forward(NDArray x, BatchNorm2d bn, Activation activation) {
        requireOwn(bn);
        if (prepared()) {
            return inference(x, activation);
        }
        NDArray y = convolve(x);
        return activate(bn == null ? y : bn.forward(y), activation);
    }

    private static NDArray activate(NDArray y, Activation activation) {
        return switch (activation) {
            case NONE -> y;
            case RELU -> ai.djl.nn.Activation.relu(y);
            case RELU6 -> y.clip(0f, 6f);
            // 2 sigmoid(2y) - 1: libtorch's tanh() calls MKL's vector math, whose first call in a
            // process now and then returns a less accurate result (docs/method.md,
            // "Reproducibility"); its sigmoid does not. The 2 is an engine tensor: autograd keeps it
            // for the backward pass (Scalars).
            case TANH -> {
                NDArray two = Scalars.of(y, 2f);
                yield ai.djl.nn.Activation.sigmoid(y.mul(two)).mul(two).sub(1f);
            }
            case SIGMOID -> ai.djl.nn.Activation.sigmoid(y);
        };
    }

    /** The prepared path: the fused oneDNN kernel on a CPU, the folded weights and separate ops elsewhere. */
    private NDArray inference(NDArray x, Activation activation) {
        if (!x.getDevice().equals(Device.cpu())) {
            // oneDNN's kernels are CPU-only; a GPU still gains the folding.
            int[] g = fusedGeometry();
            NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(x, inferenceWeight, inferenceBias, new Shape(g[1], g[1]),
                    new Shape(g[0], g[0]), new Shape(1, 1), g[2]).singletonOrThrow();
            return afterFused(activate(y, activation));
        }
        return afterFused(kernel(x).apply(x, activation));
    }

    /** {@code relu(bn(conv(x)) + residual)}, the end of a residual block. */
    public final NDArray forwardAddRelu(NDArray x, BatchNorm2d bn, NDArray residual) {
        requireOwn(bn);
        if (prepared() && fusesResidual() && x.getDevice().equals(Device.cpu())) {
            return kernel(x).applyAddRelu(x, residual);
        }
        return ai.djl.nn.Activation.relu(forward(x, bn, Activation.NONE).add(residual));
    }

    private void requireOwn(BatchNorm2d bn) {
        if (bn != foldedBatchNorm) {
            throw new IllegalArgumentException("the BatchNorm passed is not the one declared after this layer");
        }
    }

    void foldBatchNorm(BatchNorm2d bn) {
        if (foldedBatchNorm != null) {
            throw new IllegalStateException("a second BatchNorm declared after the same layer");
        }
        foldedBatchNorm = bn;
    }

    /** Whether the folded BatchNorm is currently applied here (so that the BatchNorm must not apply it). */
    final boolean foldsInto() {
        return foldedBatchNorm != null && prepared();
    }

    private boolean prepared() {
        return prepared && inferenceFormat() != null;
    }

    /** The prepacked kernel, packed for {@code x}'s shape on first use (thread-safe). */
    private FusedConvolution kernel(NDArray x) {
        FusedConvolution k = kernel;
        if (k == null) {
            synchronized (this) {
                k = kernel;
                if (k == null) {
                    int[] g = fusedGeometry();
                    // The kernel keeps the weight it packed (its own copy, or the stored weight).
                    k = FusedConvolution.prepare(inferenceWeight, ownsInferenceWeight, inferenceBias, g[0], g[1], g[2],
                            x);
                    kernel = k;
                    inferenceWeight = null;
                }
            }
        }
        return k;
    }

    @Override
    protected void prepareOwnInference(InferenceFormat format) {
        NDArray w = weight();
        NDArray b = bias();
        int out = Math.toIntExact(w.getShape().get(outAxis()));
        try (NDScope scope = new NDScope()) {
            NDArray fw;
            NDArray fb;
            if (foldedBatchNorm != null) {
                Shape s = w.getShape();
                int inner = 1;
                for (int i = outAxis() + 1; i < s.dimension(); i++) {
                    inner = Math.multiplyExact(inner, Math.toIntExact(s.get(i)));
                }
                float[][] folded = BatchNormFolding.fold(floats(w), b == null ? null : floats(b), out, inner,
                        foldedBatchNorm.statistics());
                fw = w.getManager().create(folded[0], s);
                fb = w.getManager().create(folded[1], new Shape(out));
            } else {
                fw = w;
                fb = b == null ? w.getManager().zeros(new Shape(out)) : b;
            }
            if (fw == w && format.precision() == Precision.FP32 && !rearranges()) {
                inferenceWeight = w; // the stored weight is already what the kernel needs
                ownsInferenceWeight = false;
            } else {
                // An own copy: fw may wrap a Java buffer that this scope releases, and views of it would dangle.
                inferenceWeight = TensorFormats.contiguousCopy(format.precision().cast(rearrange(fw.stopGradient())));
                ownsInferenceWeight = true;
                NDScope.unregister(inferenceWeight);
            }
            inferenceBias = TensorFormats.contiguousCopy(format.precision().cast(expandBias(fb.stopGradient())));
            NDScope.unregister(inferenceBias);
        }
        prepared = true;
    }

    /** The inference weight in the layout the fused kernel wants (default: as stored). */
    protected NDArray rearrange(NDArray weight) {
        return weight;
    }

    /** Whether {@link #rearrange} changes the weight, so that an inference copy is always needed. */
    protected boolean rearranges() {
        return false;
    }

    /** The inference bias in the layout the fused kernel wants (default: one value per output channel). */
    protected NDArray expandBias(NDArray bias) {
        return bias;
    }

    @Override
    protected void dropOwnInference() {
        prepared = false;
        if (kernel != null) {
            kernel.close();
            kernel = null;
        }
        if (inferenceWeight != null && ownsInferenceWeight) {
            inferenceWeight.close();
        }
        inferenceWeight = null;
        if (inferenceBias != null) {
            inferenceBias.close();
            inferenceBias = null;
        }
    }

    private static float[] floats(NDArray x) {
        return x.toType(DataType.FLOAT32, false).toFloatArray();
    }
}
