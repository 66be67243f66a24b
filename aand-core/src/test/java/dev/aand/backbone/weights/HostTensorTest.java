package dev.aand.backbone.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostTensorTest {

    @Test
    void halfToFloatIsExactOverAllBitPatterns() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfPrecision.f16ToFloat(bits);
            int exp = (bits >>> 10) & 0x1f;
            int mant = bits & 0x3ff;
            boolean negative = (bits & 0x8000) != 0;
            if (exp == 0x1f) {
                assertTrue(mant == 0 ? Float.isInfinite(f) : Float.isNaN(f), Integer.toHexString(bits));
                continue;
            }
            // value = (-1)^s * (exp == 0 ? mant * 2^-24 : (1024 + mant) * 2^(exp-25)), computed in double
            double expected = exp == 0 ? mant * Math.pow(2, -24) : (1024 + mant) * Math.pow(2, exp - 25);
            expected = negative ? -expected : expected;
            assertEquals(Float.floatToRawIntBits((float) expected), Float.floatToRawIntBits(f), Integer.toHexString(bits));
        }
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(HalfPrecision.f16ToFloat(0x8000)));
        assertEquals(65504f, HalfPrecision.f16ToFloat(0x7bff));
        assertEquals(0x1p-24f, HalfPrecision.f16ToFloat(0x0001));
    }

    @Test
    void bfloat16IsTheUpperHalfOfAFloat() {
        assertEquals(1.0f, HalfPrecision.bf16ToFloat(0x3f80));
        assertEquals(-2.0f, HalfPrecision.bf16ToFloat(0xc000));
    }

    @Test
    void factoriesRoundTrip() {
        HostTensor f = HostTensor.ofFloats(new long[] {2, 2}, new float[] {1, -0f, 3.25f, Float.NaN});
        assertEquals(DType.F32, f.dtype());
        assertEquals(4, f.numel());
        assertEquals(16, f.data().length);
        assertArrayEquals(new float[] {1, -0f, 3.25f, Float.NaN}, f.toFloatArray());
        HostTensor l = HostTensor.ofLongs(new long[] {}, new long[] {-7});
        assertEquals(1, l.numel());
        assertArrayEquals(new long[] {-7}, l.toLongArray());
        assertArrayEquals(new float[] {-7f}, l.toFloatArray());
        assertThrows(IllegalStateException.class, f::toLongArray);
        assertThrows(IllegalArgumentException.class, () -> HostTensor.ofFloats(new long[] {3}, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> new HostTensor(DType.I64, new long[] {2}, new byte[8]));
    }

    @Test
    void equalityIsByContent() {
        HostTensor a = HostTensor.ofFloats(new long[] {2}, new float[] {1, 2});
        assertEquals(a, HostTensor.ofFloats(new long[] {2}, new float[] {1, 2}));
        assertEquals(a.hashCode(), HostTensor.ofFloats(new long[] {2}, new float[] {1, 2}).hashCode());
        assertNotEquals(a, HostTensor.ofFloats(new long[] {1, 2}, new float[] {1, 2}));
        assertNotEquals(a, HostTensor.ofFloats(new long[] {2}, new float[] {1, 3}));
    }

    @Test
    void integerTypesWiden() {
        HostTensor i32 = new HostTensor(DType.I32, new long[] {2}, new byte[] {-1, -1, -1, -1, 5, 0, 0, 0});
        assertArrayEquals(new long[] {-1, 5}, i32.toLongArray());
        HostTensor u8 = new HostTensor(DType.U8, new long[] {2}, new byte[] {(byte) 255, 1});
        assertArrayEquals(new long[] {255, 1}, u8.toLongArray());
        HostTensor i8 = new HostTensor(DType.I8, new long[] {2}, new byte[] {(byte) 255, 1});
        assertArrayEquals(new long[] {-1, 1}, i8.toLongArray());
    }
}
