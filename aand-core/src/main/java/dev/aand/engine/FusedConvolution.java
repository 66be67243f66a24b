package dev.aand.engine;

import ai.djl.ndarray.NDArray;

/**
 * oneDNN convolutions with the operation that follows fused into the same kernel (libtorch's
 * {@code mkldnn::_convolution_pointwise}, what TorchInductor emits on CPU): the activation is
 * applied while the output is still in cache instead of in another pass over memory. Inference
 * only: these kernels have no gradient. Inputs and weights must share a precision; channels-last
 * input gives channels-last output.
 */
public final class FusedConvolution {
    private FusedConvolution() {}

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

    /**
     * {@code activation(conv(x, weight) + bias)}.
     *
     * @param weight [out, in/groups, k, k]
     * @param bias [out] (required: after BatchNorm folding every layer has one)
     */
    public static NDArray conv(NDArray x, NDArray weight, NDArray bias, int padding, int stride, int groups,
            Activation activation) {
        return TorchScriptKernels.call(activation.method, x, weight, bias, new long[] {padding, padding},
                new long[] {stride, stride}, (long) groups);
    }

    /** {@code relu(conv(x, weight) + bias + residual)}; {@code residual} has the output's shape. */
    public static NDArray convAddRelu(NDArray x, NDArray weight, NDArray bias, int padding, int stride, int groups,
            NDArray residual) {
        return TorchScriptKernels.call("conv_add_relu", x, weight, bias, new long[] {padding, padding},
                new long[] {stride, stride}, (long) groups, residual);
    }
}
