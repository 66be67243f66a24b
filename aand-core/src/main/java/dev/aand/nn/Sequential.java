package dev.aand.nn;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Children named "0", "1", ... applied in order, like {@code nn.Sequential}. */
public final class Sequential extends Module {
    private final List<UnaryOperator<NDArray>> steps = new ArrayList<>();
    private int next;

    /** Adds a module with parameters; it takes the next index as its name. */
    public <M extends Module> Sequential add(M module, UnaryOperator<NDArray> forward) {
        child(Integer.toString(next++), module);
        steps.add(forward);
        return this;
    }

    /** Adds a parameter-free step (an activation); it still takes an index, as in PyTorch. */
    public Sequential addFunction(UnaryOperator<NDArray> f) {
        next++;
        steps.add(f);
        return this;
    }

    public NDArray forward(NDArray x) {
        NDArray y = x;
        for (UnaryOperator<NDArray> s : steps) {
            NDArray next = s.apply(y);
            if (y != x && next != y) {
                y.close(); // an intermediate nobody else holds (autograd keeps its own reference)
            }
            y = next;
        }
        return y;
    }
}
