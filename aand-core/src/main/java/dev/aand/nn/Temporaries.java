package dev.aand.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Frees a computation's intermediate tensors as soon as it returns. DJL releases an engine tensor
 * only when its Java handle is closed; without this, every activation of a forward pass stays
 * allocated until the caller's scope ends, and a batch-8 pass holds gigabytes. Closing a handle
 * never breaks autograd: the graph keeps its own references to what backward needs.
 *
 * <p>The body's result must consist of arrays the body created; they move to the caller's scope
 * (if any), as if created there.
 */
public final class Temporaries {
    private Temporaries() {}

    /** Runs {@code body} and closes every array it created except its result. */
    public static NDArray keep(Supplier<NDArray> body) {
        NDArray out;
        try (NDScope scope = new NDScope()) {
            out = body.get();
            NDScope.unregister(out);
        }
        NDScope.register(out);
        return out;
    }

    /** As {@link #keep}, keeping every array of the returned list. */
    public static NDList keepAll(Supplier<NDList> body) {
        NDList out;
        try (NDScope scope = new NDScope()) {
            out = body.get();
            NDScope.unregister(out);
        }
        out.forEach(NDScope::register);
        return out;
    }
}
