package dev.aand.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.aand.config.Ids;
import dev.aand.engine.CpuFeatures;
import dev.aand.engine.TensorFormats;

/**
 * The number format inference runs the networks in. Maps, scores and metrics are always float32;
 * training is always float32.
 */
public enum Precision {
    /** IEEE single precision everywhere. */
    FP32("fp32"),
    /**
     * bfloat16 weights and activations in the teacher, RAA, bottleneck and decoder (float32's range,
     * 8 bits of mantissa); the CPU must have native bfloat16 instructions.
     */
    BF16("bf16");

    private final String id;

    Precision(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** "fp32" or "bf16" (case-insensitive); anything else is an IllegalArgumentException naming it. */
    public static Precision parse(String s) {
        return Ids.parse(values(), Precision::id, s, "precision");
    }

    /** {@code x} (float32) in this precision: a new array for BF16, {@code x} itself for FP32. */
    public NDArray cast(NDArray x) {
        return this == BF16 ? TensorFormats.bfloat16(x) : x;
    }

    /**
     * Throws IllegalArgumentException when this precision cannot run on {@code device}: bfloat16 on
     * a CPU without AVX512-BF16 / AMX-BF16 would be emulated, many times slower than float32.
     */
    public Precision requireSupported(Device device) {
        return requireSupported(device, CpuFeatures.flags());
    }

    /** As {@link #requireSupported(Device)} for a CPU with the given /proc/cpuinfo flags. */
    public Precision requireSupported(Device device, java.util.Set<String> cpuFlags) {
        if (this == BF16 && !device.isGpu() && !CpuFeatures.hasBfloat16(cpuFlags)) {
            throw new IllegalArgumentException("precision bf16 needs a CPU with bfloat16 instructions"
                    + " (flag avx512_bf16 or amx_bf16 in /proc/cpuinfo), and this one has neither;"
                    + " use precision fp32");
        }
        return this;
    }

    @Override
    public String toString() {
        return id;
    }
}
