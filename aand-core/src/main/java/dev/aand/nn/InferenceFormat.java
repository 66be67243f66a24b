package dev.aand.nn;

import ai.djl.ndarray.NDArray;
import dev.aand.engine.TensorFormats;

/**
 * How a network runs at inference: its number format and whether activations are laid out
 * channels-last (NHWC in memory, shapes unchanged). oneDNN's convolutions read and write
 * channels-last directly; with the default NCHW layout they reorder every input and output.
 *
 * @param precision weights and activations
 * @param channelsLast activations channels-last
 */
public record InferenceFormat(Precision precision, boolean channelsLast) {
    public InferenceFormat {
        if (precision == null) {
            throw new IllegalArgumentException("precision is required");
        }
    }

    /** The fast layout for a precision: channels-last. */
    public static InferenceFormat of(Precision precision) {
        return new InferenceFormat(precision, true);
    }

    /** A float32 NCHW image batch {@code [N, C, H, W]} converted to this format (one copy at most). */
    public NDArray input(NDArray x) {
        if (precision == Precision.BF16) {
            return channelsLast ? TensorFormats.bfloat16ChannelsLast(x) : TensorFormats.bfloat16(x);
        }
        return channelsLast ? TensorFormats.channelsLast(x) : x;
    }

    /** A tensor of this format back to float32 (for maps and scores); {@code x} itself when already float32. */
    public NDArray toFloat32(NDArray x) {
        return precision == Precision.BF16 ? TensorFormats.float32(x) : x;
    }
}
