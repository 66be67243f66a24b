package dev.aand.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Constants for operations that autograd records, held in libtorch's own memory.
 *
 * <p>DJL's {@code x.mul(2f)}, {@code div}, {@code pow}, {@code maximum} (every overload taking a
 * Number) wrap the number in a Java direct buffer, run the tensor operation and close the wrapper
 * at once. When {@code x} requires a gradient, autograd keeps that 0-dim tensor for the backward
 * pass (d(x*c)/dx = c), but its memory is Java's: once a garbage collection frees the buffer, the
 * backward pass reads whatever was allocated there since. Training then depended on GC timing:
 * the same seed gave different models from run to run, and NaN gradients when the reused memory
 * held a zero divisor or a NaN (measured: a 256 px cookie training went NaN within six stage-1
 * epochs on an AMD EPYC; docs/method.md, "Reproducibility"). Operations on tensors that need no
 * gradient (inference, the optimizer) keep nothing and may use the Number overloads.
 */
public final class Scalars {
    private Scalars() {}

    /** {@code value} as a float32 0-dim tensor on {@code like}'s manager and device. */
    public static NDArray of(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, DataType.FLOAT32);
    }
}
