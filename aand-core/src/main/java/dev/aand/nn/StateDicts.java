package dev.aand.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.aand.backbone.weights.DType;
import dev.aand.backbone.weights.HostTensor;
import dev.aand.backbone.weights.StateDictBinder;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/** Moves a module's state dict between the engine and host tensors (for files). */
public final class StateDicts {
    private StateDicts() {}

    /** Copies every entry to the host: float tensors as F32, integer counters as I64. */
    public static LinkedHashMap<String, HostTensor> toHost(Map<String, NDArray> state) {
        LinkedHashMap<String, HostTensor> out = new LinkedHashMap<>();
        state.forEach((k, v) -> {
            long[] shape = v.getShape().getShape();
            if (v.getDataType() == DataType.INT64) {
                out.put(k, HostTensor.ofLongs(shape, v.toLongArray()));
            } else if (v.getDataType() == DataType.FLOAT32 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                // The engine's bytes are already the file's layout: one copy instead of three
                // (checkpoints copy hundreds of MB after every epoch).
                out.put(k, new HostTensor(DType.F32, shape, v.toByteArray()));
            } else {
                out.put(k, HostTensor.ofFloats(shape, v.toType(DataType.FLOAT32, false).toFloatArray()));
            }
        });
        return out;
    }

    /** The shape of every tensor, by name, in order. */
    public static Map<String, long[]> shapes(Map<String, HostTensor> tensors) {
        Map<String, long[]> out = new LinkedHashMap<>();
        tensors.forEach((k, t) -> out.put(k, t.shape()));
        return out;
    }

    /** The shape of every entry of a module's state dict, by name, in order. */
    public static Map<String, long[]> shapes(Module module) {
        Map<String, long[]> out = new LinkedHashMap<>();
        module.stateDict().forEach((k, v) -> out.put(k, v.getShape().getShape()));
        return out;
    }

    /**
     * Loads {@code tensors} into {@code module} after the binder's name and shape check, which
     * throws a {@link dev.aand.backbone.weights.WeightFormatException} naming {@code source}.
     */
    public static void load(Module module, Map<String, HostTensor> tensors, String source, StateDictBinder binder) {
        binder.bind(shapes(module), tensors, source).forEach((k, t) -> module.load(k, t.toFloatArray()));
    }
}
