package dev.aand.backbone;

import ai.djl.ndarray.NDArray;
import dev.aand.backbone.weights.HostTensor;
import dev.aand.backbone.weights.StateDictBinder;
import dev.aand.nn.Module;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/** Copies a checkpoint's tensors into a module after a strict name and shape check. */
final class WeightLoading {
    private WeightLoading() {}

    /**
     * Binds {@code tensors} to {@code module}'s state dict. Every model key must be present with
     * its shape and every file key must belong to the model, except BatchNorm counters (never used
     * at inference) and keys for which {@code beyondTruncation} holds (layers the model does not
     * build). Throws {@link dev.aand.backbone.weights.WeightFormatException} naming {@code source},
     * the keys and both shapes.
     */
    static void bind(Module module, Map<String, HostTensor> tensors, String source,
            Predicate<String> beyondTruncation) {
        Map<String, NDArray> state = module.stateDict();
        Map<String, long[]> expected = new LinkedHashMap<>();
        state.forEach((k, v) -> expected.put(k, v.getShape().getShape()));
        StateDictBinder binder = StateDictBinder.strict()
                .ignoringGlobs("num_batches_tracked", "*.num_batches_tracked")
                .ignoring(k -> !expected.containsKey(k) && beyondTruncation.test(k));
        LinkedHashMap<String, HostTensor> bound = binder.bind(expected, tensors, source);
        bound.forEach((k, t) -> module.load(k, t.toFloatArray()));
    }

    /** Tensor shapes of a checkpoint, for deriving channel counts. */
    static Map<String, long[]> shapes(Map<String, HostTensor> tensors) {
        Map<String, long[]> out = new LinkedHashMap<>();
        tensors.forEach((k, t) -> out.put(k, t.shape()));
        return out;
    }
}
