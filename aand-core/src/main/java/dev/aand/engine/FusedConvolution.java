package dev.aand.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.IValue;

/**
 * oneDNN convolutions with the operation that follows fused into the same kernel (libtorch's
 * {@code mkldnn::_convolution_pointwise}, what TorchInductor emits on CPU): the activation, and a
 * residual block's sum, are applied while the output is still in cache instead of in more passes
 * over memory. The weights are reordered once into oneDNN's blocked layout ("prepacked") instead
 * of at every call, which dominates small feature maps with large kernels. Inference only: these
 * kernels have no gradient, and their outputs are read-only to autograd. Inputs and weights share
 * a precision; channels-last input gives channels-last output.
 */
public final class FusedConvolution implements AutoCloseable {
    /** What the kernel applies after the convolution. */
    public enum Activation {
        NONE("conv_none"),
        RELU("conv_relu"),
        /** min(max(x, 0), 6), MobileNet's activation. */
        RELU6("conv_relu6"),
        TANH("conv_tanh"),
        SIGMOID("conv_sigmoid");

        private final String method;

        Activation(String method) {
            this.method = method;
        }
    }

    private final NDArray packed;
    /** The weight that was packed, kept alive with the kernel, or null when the caller owns it. */
    private final NDArray source;
    private final IValue weight;
    private final IValue bias;
    private final IValue padding;
    private final IValue stride;
    private final IValue groups;

    private FusedConvolution(NDArray packed, NDArray source, NDArray bias, int padding, int stride, int groups) {
        this.packed = packed;
        this.source = source;
        this.weight = TorchScriptKernels.ivalue(packed);
        this.bias = TorchScriptKernels.ivalue(bias);
        this.padding = TorchScriptKernels.ivalue(new long[] {padding, padding});
        this.stride = TorchScriptKernels.ivalue(new long[] {stride, stride});
        this.groups = TorchScriptKernels.ivalue((long) groups);
    }

    /**
     * A convolution with its weights prepacked for inputs shaped like {@code sample} (other shapes
     * work too, at the cost of a reorder inside the call).
     *
     * @param weight [out, in/groups, k, k]
     * @param bias [out] (after BatchNorm folding every layer has one); kept referenced, not copied
     * @param ownWeight whether the kernel takes {@code weight} over (closing it with itself); the
     *     caller must otherwise keep it alive as long as the kernel
     */
    public static FusedConvolution prepare(NDArray weight, boolean ownWeight, NDArray bias, int padding, int stride,
            int groups, NDArray sample) {
        NDArray packed = TorchScriptKernels.call("pack_conv_weight", weight, new long[] {padding, padding},
                new long[] {stride, stride}, (long) groups, sample.getShape().getShape());
        NDScope.unregister(packed); // lives as long as this object, outside the caller's scope
        // When the blocked layout oneDNN expects is the plain one, the "packed" weight may be a view
        // of the dense weight's memory that does not own it, so the weight lives as long as the kernel.
        return new FusedConvolution(packed, ownWeight ? weight : null, bias, padding, stride, groups);
    }

    /** {@code activation(conv(x) + bias)}. */
    public NDArray apply(NDArray x, Activation activation) {
        return TorchScriptKernels.call(activation.method, x, weight, bias, padding, stride, groups);
    }

    /** {@code relu(conv(x) + bias + residual)}; {@code residual} has the output's shape. */
    public NDArray applyAddRelu(NDArray x, NDArray residual) {
        return TorchScriptKernels.call("conv_add_relu", x, weight, bias, padding, stride, groups, residual);
    }

    @Override
    public void close() {
        weight.close();
        bias.close();
        padding.close();
        stride.close();
        groups.close();
        packed.close();
        if (source != null) {
            source.close();
        }
    }
}
