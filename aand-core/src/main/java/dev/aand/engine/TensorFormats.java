package dev.aand.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Number formats and memory layouts DJL's binding cannot set (see {@link TorchScriptKernels}).
 *
 * <p>A bfloat16 tensor reports {@code DataType.UNKNOWN} to DJL. Element-wise ops, convolutions and
 * matrix products work on it as on any tensor; DJL calls that pass a data type (softmax,
 * {@code toType}, reading values back) do not, so such steps cast to float32 first.
 */
public final class TensorFormats {
    private TensorFormats() {}

    /** A bfloat16 copy (rounded to nearest even). */
    public static NDArray bfloat16(NDArray x) {
        return TorchScriptKernels.call("bfloat16", x);
    }

    /** A float32 version; for a float32 {@code x} a new handle on the same memory. */
    public static NDArray float32(NDArray x) {
        return TorchScriptKernels.call("float32", x);
    }

    /**
     * A contiguous copy in memory that libtorch owns. An array made by {@code NDManager.create}
     * wraps a Java buffer that is released when the array is closed, so a long-lived view of it
     * (reshape, transpose) must be copied before the array is closed.
     */
    public static NDArray contiguousCopy(NDArray x) {
        return TorchScriptKernels.call("contiguous_copy", x);
    }

    /**
     * {@code values} in memory that libtorch allocated (64-byte aligned) rather than in the Java
     * buffer {@code NDManager.create} wraps, whose alignment varies from run to run: some kernels
     * take other code paths on other alignments, so long-lived training state (parameters,
     * optimizer moments) must live here for the same seed to give the same bytes.
     */
    public static NDArray engineOwned(NDManager manager, float[] values, Shape shape) {
        try (NDArray wrapped = manager.create(values, shape)) {
            return wrapped.duplicate();
        }
    }

    /** The same values laid out channels-last (NHWC in memory; the shape stays [N, C, H, W]). */
    public static NDArray channelsLast(NDArray x) {
        return TorchScriptKernels.call("channels_last", x);
    }

    /** {@link #bfloat16} and {@link #channelsLast} in one copy. */
    public static NDArray bfloat16ChannelsLast(NDArray x) {
        return TorchScriptKernels.call("bfloat16_channels_last", x);
    }

    public static boolean isChannelsLast(NDArray x) {
        return TorchScriptKernels.test("is_channels_last", x);
    }

    public static boolean isBfloat16(NDArray x) {
        return TorchScriptKernels.test("is_bfloat16", x);
    }
}
