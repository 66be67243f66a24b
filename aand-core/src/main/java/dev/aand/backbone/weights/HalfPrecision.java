package dev.aand.backbone.weights;

/**
 * Exact widening of 16-bit floats to float32 (Java 17 has no Float.float16ToFloat). Every half and
 * bfloat16 value, subnormals and signed zeros included, is representable as a float.
 */
public final class HalfPrecision {
    private HalfPrecision() {}

    /** IEEE 754 binary16 bits (low 16 bits of {@code bits}) to the identical float value. */
    public static float f16ToFloat(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            // Inf keeps a zero mantissa, NaN keeps its payload bits (shifted into the float field).
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // Zero or subnormal: value = mant * 2^-24, exact in float; the sign covers -0.0.
            float magnitude = mant * 0x1p-24f;
            return Float.intBitsToFloat(sign | Float.floatToRawIntBits(magnitude));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** bfloat16 bits (low 16 bits) to float: bfloat16 is the top half of a float32. */
    public static float bf16ToFloat(int bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }
}
