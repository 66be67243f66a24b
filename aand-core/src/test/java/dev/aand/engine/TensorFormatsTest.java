package dev.aand.engine;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aand.nn.Precision;
import dev.aand.testing.Engines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TorchScript-backed conversions and fused convolutions, and the CPU check for bf16. */
class TensorFormatsTest {

    @Test
    void bfloat16RoundsToEightBitsOfMantissaAndBack() {
        try (NDManager m = Engines.manager()) {
            // 1 + 2^-8 is halfway between two bfloat16 values and rounds to even (1.0); 1 + 3*2^-8 rounds up.
            NDArray x = m.create(new float[] {1.5f, 1f + 1f / 256, 1f + 3f / 256, -1000.7f, 3e38f});
            NDArray b = TensorFormats.bfloat16(x);
            assertTrue(TensorFormats.isBfloat16(b));
            assertFalse(TensorFormats.isBfloat16(x));
            float[] back = TensorFormats.float32(b).toFloatArray();
            assertArrayEquals(new float[] {1.5f, 1f, 1f + 4f / 256, -1000f}, java.util.Arrays.copyOf(back, 4), 0f);
            assertEquals(roundToBfloat16(3e38f), back[4], 0f);
        }
    }

    /** Round to nearest even on the 16 low bits of the float32 pattern. */
    private static float roundToBfloat16(float v) {
        int bits = Float.floatToIntBits(v);
        return Float.intBitsToFloat((bits + 0x7FFF + ((bits >>> 16) & 1)) & 0xFFFF0000);
    }

    @Test
    void channelsLastKeepsShapeAndValues() {
        try (NDManager m = Engines.manager()) {
            NDArray x = m.arange(2f * 3 * 4 * 5).reshape(2, 3, 4, 5);
            NDArray c = TensorFormats.channelsLast(x);
            assertTrue(TensorFormats.isChannelsLast(c));
            assertFalse(TensorFormats.isChannelsLast(x));
            assertEquals(new Shape(2, 3, 4, 5), c.getShape());
            assertArrayEquals(x.toFloatArray(), c.toFloatArray(), 0f);
            assertTrue(TensorFormats.isChannelsLast(TensorFormats.bfloat16ChannelsLast(x)));
        }
    }

    @Test
    void aContiguousCopyOutlivesTheArrayItCopied() {
        try (NDManager m = Engines.manager()) {
            NDArray src = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            NDArray copy = TensorFormats.contiguousCopy(src.transpose());
            src.close();
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, copy.toFloatArray(), 0f);
        }
    }

    @Test
    void fusedConvolutionsEqualTheSeparateOperations() {
        try (NDManager m = Engines.manager()) {
            NDArray x = TensorFormats.channelsLast(m.randomNormal(new Shape(2, 6, 7, 7)));
            NDArray w = m.randomNormal(new Shape(8, 3, 3, 3)); // 2 groups
            NDArray b = m.randomNormal(new Shape(8));
            NDArray plain = ai.djl.nn.convolutional.Conv2d.conv2d(x, w, b, new Shape(2, 2), new Shape(1, 1),
                    new Shape(1, 1), 2).singletonOrThrow();
            NDArray other = m.randomNormal(plain.getShape());
            float[] before = other.toFloatArray();
            try (FusedConvolution conv = FusedConvolution.prepare(w, false, b, 1, 2, 2, x)) {
                check(plain.toFloatArray(), conv.apply(x, FusedConvolution.Activation.NONE));
                check(ai.djl.nn.Activation.relu(plain).toFloatArray(), conv.apply(x, FusedConvolution.Activation.RELU));
                check(plain.clip(0f, 6f).toFloatArray(), conv.apply(x, FusedConvolution.Activation.RELU6));
                check(plain.tanh().toFloatArray(), conv.apply(x, FusedConvolution.Activation.TANH));
                check(ai.djl.nn.Activation.sigmoid(plain).toFloatArray(), conv.apply(x, FusedConvolution.Activation.SIGMOID));
                check(ai.djl.nn.Activation.relu(plain.add(other)).toFloatArray(), conv.applyAddRelu(x, other));
                // Packed for a batch of 2, it still serves a batch of 1.
                check(java.util.Arrays.copyOf(plain.toFloatArray(), (int) (plain.size() / 2)),
                        conv.apply(x.get("0:1"), FusedConvolution.Activation.NONE));
            }
            assertArrayEquals(before, other.toFloatArray(), 0f, "the residual is read, not overwritten");
        }
    }

    private static void check(float[] expected, NDArray actual) {
        assertTrue(actual.getShape().get(0) == 1 || TensorFormats.isChannelsLast(actual),
                "channels-last in, channels-last out");
        float[] a = actual.toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], a[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "at " + i);
        }
    }

    @Test
    void bf16NeedsACpuWithBfloat16Instructions(@TempDir Path dir) throws Exception {
        Path sapphire = dir.resolve("cpuinfo1");
        Files.writeString(sapphire, "processor\t: 0\nflags\t\t: fpu avx512f avx512_bf16 amx_bf16\n");
        Path skylake = dir.resolve("cpuinfo2");
        Files.writeString(skylake, "processor\t: 0\nflags\t\t: fpu avx2 avx512f\n");
        assertTrue(CpuFeatures.hasBfloat16(CpuFeatures.flags(sapphire)));
        assertFalse(CpuFeatures.hasBfloat16(CpuFeatures.flags(skylake)));
        assertEquals(Set.of(), CpuFeatures.flags(dir.resolve("missing")));
        Precision.BF16.requireSupported(Device.cpu(), CpuFeatures.flags(sapphire));
        Precision.FP32.requireSupported(Device.cpu(), CpuFeatures.flags(skylake));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Precision.BF16.requireSupported(Device.cpu(), CpuFeatures.flags(skylake)));
        assertTrue(e.getMessage().contains("avx512_bf16") && e.getMessage().contains("fp32"), e.getMessage());
        assertEquals(Precision.BF16, Precision.parse(" BF16 "));
        assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp16"));
    }
}
