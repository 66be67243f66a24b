package dev.aand.backbone.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.aand.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The JSON truth of 02_checkpoint/tiny_state_dict.* and a bitwise comparison against it. */
final class TinyCheckpointTruth {
    static final Path PT = Fixtures.fixture("02_checkpoint/tiny_state_dict.pt");
    static final Path SAFETENSORS = Fixtures.fixture("02_checkpoint/tiny_state_dict.safetensors");

    private final JsonObject tensors;

    TinyCheckpointTruth() throws IOException {
        String json = Files.readString(Fixtures.fixture("02_checkpoint/tiny_state_dict.json"), StandardCharsets.UTF_8);
        tensors = JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("tensors");
    }

    /** Keys in the order the JSON (and torch.save) lists them. */
    List<String> keys() {
        return new ArrayList<>(tensors.keySet());
    }

    /** Asserts every tensor equals the truth bit for bit (dtype, shape, each value's bits). */
    void assertBitExact(Map<String, HostTensor> loaded) {
        assertEquals(tensors.size(), loaded.size(), "number of tensors");
        for (String key : tensors.keySet()) {
            JsonObject t = tensors.getAsJsonObject(key);
            HostTensor got = loaded.get(key);
            assertNotNull(got, "missing " + key);
            assertEquals(expectedDType(t.get("dtype").getAsString()), got.dtype(), key + " dtype");
            assertArrayEquals(longs(t.getAsJsonArray("shape")), got.shape(), key + " shape");
            JsonArray values = t.getAsJsonArray("values");
            assertEquals(values.size(), got.numel(), key + " numel");
            switch (got.dtype()) {
                case I64 -> assertArrayEquals(longs(values), got.toLongArray(), key + " int64 values");
                case F32, F16 -> {
                    float[] f = got.toFloatArray();
                    for (int i = 0; i < f.length; i++) {
                        int want = Float.floatToRawIntBits((float) values.get(i).getAsDouble());
                        assertEquals(want, Float.floatToRawIntBits(f[i]), key + "[" + i + "] float bits");
                    }
                    if (got.dtype() == DType.F16) {
                        long[] bits = longs(t.getAsJsonArray("values_uint16_bits"));
                        ByteBuffer b = ByteBuffer.wrap(got.data()).order(ByteOrder.LITTLE_ENDIAN);
                        for (int i = 0; i < bits.length; i++) {
                            assertEquals(bits[i], Short.toUnsignedInt(b.getShort(2 * i)), key + "[" + i + "] f16 bits");
                        }
                    } else {
                        long[] first = longs(t.getAsJsonArray("values_uint32_bits_first8"));
                        for (int i = 0; i < first.length; i++) {
                            assertEquals(first[i], Integer.toUnsignedLong(Float.floatToRawIntBits(f[i])),
                                    key + "[" + i + "] f32 bits");
                        }
                    }
                }
                default -> throw new AssertionError("unexpected dtype " + got.dtype());
            }
        }
    }

    private static DType expectedDType(String torchName) {
        return switch (torchName) {
            case "float32" -> DType.F32;
            case "float16" -> DType.F16;
            case "int64" -> DType.I64;
            default -> throw new AssertionError(torchName);
        };
    }

    static long[] longs(JsonArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }
}
