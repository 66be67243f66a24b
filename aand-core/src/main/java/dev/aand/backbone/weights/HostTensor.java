package dev.aand.backbone.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor held in host memory, independent of any engine: element type, shape and the elements as
 * contiguous row-major little-endian bytes. A scalar has shape {@code []} and one element.
 *
 * <p>The arrays are not copied (weights can be hundreds of MB); treat them as read-only. Equality
 * compares dtype, shape and bytes.
 */
public record HostTensor(DType dtype, long[] shape, byte[] data) {

    public HostTensor {
        if (dtype == null || shape == null || data == null) {
            throw new IllegalArgumentException("dtype, shape and data must not be null");
        }
        long n = checkedNumel(shape);
        long bytes = Math.multiplyExact(n, (long) dtype.byteSize());
        if (bytes != data.length) {
            throw new IllegalArgumentException("shape " + formatShape(shape) + " of " + dtype + " needs "
                    + bytes + " bytes, got " + data.length);
        }
    }

    /** A float32 tensor holding a copy of {@code values}. */
    public static HostTensor ofFloats(long[] shape, float[] values) {
        checkCount(shape, values.length);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return new HostTensor(DType.F32, shape.clone(), buf.array());
    }

    /** An int64 tensor holding a copy of {@code values}. */
    public static HostTensor ofLongs(long[] shape, long[] values) {
        checkCount(shape, values.length);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        return new HostTensor(DType.I64, shape.clone(), buf.array());
    }

    /** Number of elements (1 for a scalar). */
    public long numel() {
        return checkedNumel(shape);
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /**
     * All elements as float32 in row-major order. Exact for F32, F16 and BF16 (including subnormals
     * and -0.0); F64 and large integers are rounded to the nearest float.
     */
    public float[] toFloatArray() {
        int n = (int) numel();
        float[] out = new float[n];
        ByteBuffer buf = littleEndian();
        switch (dtype) {
            case F32 -> buf.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) buf.getDouble(i * 8);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfPrecision.f16ToFloat(buf.getShort(i * 2));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfPrecision.bf16ToFloat(buf.getShort(i * 2));
                }
            }
            default -> {
                long[] longs = toLongArray();
                for (int i = 0; i < n; i++) {
                    out[i] = longs[i];
                }
            }
        }
        return out;
    }

    /** All elements as int64 in row-major order; only for integer and bool tensors (U8 is unsigned). */
    public long[] toLongArray() {
        if (dtype.isFloating()) {
            throw new IllegalStateException("tensor is " + dtype + "; toLongArray needs an integer dtype");
        }
        int n = (int) numel();
        long[] out = new long[n];
        ByteBuffer buf = littleEndian();
        switch (dtype) {
            case I64 -> buf.asLongBuffer().get(out);
            case I32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = buf.getInt(i * 4);
                }
            }
            case I16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = buf.getShort(i * 2);
                }
            }
            case I8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = data[i];
                }
            }
            default -> { // U8, BOOL
                for (int i = 0; i < n; i++) {
                    out[i] = data[i] & 0xff;
                }
            }
        }
        return out;
    }

    private ByteBuffer littleEndian() {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** "[2, 3]" style rendering used in error messages. */
    public static String formatShape(long[] shape) {
        return Arrays.toString(shape);
    }

    private static long checkedNumel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + formatShape(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static void checkCount(long[] shape, int count) {
        if (checkedNumel(shape) != count) {
            throw new IllegalArgumentException("shape " + formatShape(shape) + " holds " + checkedNumel(shape)
                    + " elements, got " + count + " values");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostTensor t && t.dtype == dtype && Arrays.equals(t.shape, shape)
                && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "HostTensor[" + dtype + " " + formatShape(shape) + "]";
    }
}
