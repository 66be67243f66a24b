package dev.aand.backbone.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    @TempDir
    Path tmp;

    @Test
    void fixtureIsReadBitExactlyWithMetadata() throws IOException {
        SafetensorsReader.Contents c = SafetensorsReader.readWithMetadata(TinyCheckpointTruth.SAFETENSORS);
        new TinyCheckpointTruth().assertBitExact(c.tensors());
        assertEquals("pt", c.metadata().get("format"));
        // the fixture lays out I64 first and F16 last; the reader returns data-section order
        List<String> keys = new ArrayList<>(c.tensors().keySet());
        assertEquals("bn1.num_batches_tracked", keys.get(0));
        assertEquals("extra.half", keys.get(keys.size() - 1));
    }

    @Test
    void fixtureEqualsTorchCheckpoint() {
        Map<String, HostTensor> st = SafetensorsReader.read(TinyCheckpointTruth.SAFETENSORS);
        Map<String, HostTensor> pt = TorchCheckpointReader.read(TinyCheckpointTruth.PT);
        assertEquals(pt, st);
    }

    @Test
    void writeThenReadRoundTrips() throws IOException {
        LinkedHashMap<String, HostTensor> in = new LinkedHashMap<>();
        in.put("z.weight", HostTensor.ofFloats(new long[] {2, 3}, new float[] {1.5f, -0f, Float.MIN_VALUE, 3, 4, 5}));
        in.put("a.count", HostTensor.ofLongs(new long[] {}, new long[] {Long.MIN_VALUE}));
        in.put("m.half", new HostTensor(DType.F16, new long[] {3}, new byte[] {0x00, 0x3c, 0x01, 0x00, 0x00, (byte) 0x80}));
        in.put("empty", HostTensor.ofFloats(new long[] {0, 4}, new float[0]));
        in.put("bytes<&>", new HostTensor(DType.U8, new long[] {1}, new byte[] {(byte) 200}));
        Map<String, String> meta = Map.of("format", "pt", "source", "unit test é");
        Path file = tmp.resolve("rt.safetensors");
        SafetensorsWriter.write(file, in, meta);

        byte[] raw = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(raw, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header length is a multiple of 8");
        String header = new String(raw, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\""), header);
        assertTrue(header.endsWith("}") || header.endsWith(" "), header);
        long dataBytes = in.values().stream().mapToLong(t -> t.data().length).sum();
        assertEquals(8 + n + dataBytes, raw.length, "no gaps, no trailing bytes");

        SafetensorsReader.Contents c = SafetensorsReader.readWithMetadata(file);
        assertEquals(meta, c.metadata());
        assertEquals(new ArrayList<>(in.keySet()), new ArrayList<>(c.tensors().keySet()), "order preserved");
        assertEquals(in, c.tensors());
        assertEquals(Long.MIN_VALUE, c.tensors().get("a.count").toLongArray()[0]);
        assertArrayEquals(new long[] {200}, c.tensors().get("bytes<&>").toLongArray());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(c.tensors().get("m.half").toFloatArray()[2]));
    }

    @Test
    void checkpointConvertsToSafetensorsLosslessly() {
        Map<String, HostTensor> pt = TorchCheckpointReader.read(TinyCheckpointTruth.PT);
        Path file = tmp.resolve("converted.safetensors");
        SafetensorsWriter.write(file, pt);
        assertEquals(pt, SafetensorsReader.read(file));
        assertEquals(new ArrayList<>(pt.keySet()), new ArrayList<>(SafetensorsReader.read(file).keySet()));
    }

    @Test
    void truncatedDataSectionNamesTheTensor() throws IOException {
        byte[] all = Files.readAllBytes(TinyCheckpointTruth.SAFETENSORS);
        Path file = tmp.resolve("cut.safetensors");
        Files.write(file, Arrays.copyOf(all, all.length / 2));
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> SafetensorsReader.read(file));
        assertTrue(e.getMessage().contains("cut.safetensors") && e.getMessage().contains("truncated")
                && e.getMessage().contains("tensor '"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        byte[] all = Files.readAllBytes(TinyCheckpointTruth.SAFETENSORS);
        Path file = tmp.resolve("cut_header.safetensors");
        Files.write(file, Arrays.copyOf(all, 100));
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> SafetensorsReader.read(file));
        assertTrue(e.getMessage().contains("cut_header.safetensors") && e.getMessage().contains("truncated"),
                e.getMessage());
    }

    @Test
    void inconsistentHeadersAreRejected() throws IOException {
        assertHeaderRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", "needs 8 bytes", 8);
        assertHeaderRejected("{\"w\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", "unsupported dtype", 8);
        assertHeaderRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", "non-integer", 8);
        assertHeaderRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "overlaps", 8);
        assertHeaderRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]", "not valid JSON", 8);
    }

    private void assertHeaderRejected(String json, String expected, int dataBytes) throws IOException {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path file = tmp.resolve("bad.safetensors");
        Files.write(file, b.array());
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> SafetensorsReader.read(file));
        assertTrue(e.getMessage().contains("bad.safetensors") && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void equalContentGivesEqualBytesWhateverTheMetadataOrder() throws IOException {
        Map<String, HostTensor> t = Map.of("w", HostTensor.ofFloats(new long[] {2}, new float[] {1, 2}));
        LinkedHashMap<String, String> forward = new LinkedHashMap<>();
        LinkedHashMap<String, String> backward = new LinkedHashMap<>();
        for (String k : List.of("format", "method", "producer")) {
            forward.put(k, k.toUpperCase());
        }
        for (String k : List.of("producer", "method", "format")) {
            backward.put(k, k.toUpperCase());
        }
        Path a = tmp.resolve("a.safetensors");
        Path b = tmp.resolve("b.safetensors");
        SafetensorsWriter.write(a, t, forward);
        SafetensorsWriter.write(b, t, backward);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        try (var s = Files.list(tmp)) {
            assertEquals(2, s.count(), "no temporary file left beside the outputs");
        }
    }

    @Test
    void tensorsBeyondTheFileBudgetAreRefused() throws IOException {
        Path file = tmp.resolve("big.safetensors");
        SafetensorsWriter.write(file, Map.of("w", HostTensor.ofFloats(new long[] {64}, new float[64])));
        System.setProperty(dev.aand.config.Limits.MAX_WEIGHT_BYTES, "100");
        try {
            WeightFormatException e = assertThrows(WeightFormatException.class, () -> SafetensorsReader.read(file));
            assertTrue(e.getMessage().contains("big.safetensors") && e.getMessage().contains("'w'")
                    && e.getMessage().contains("budget"), e.getMessage());
        } finally {
            System.clearProperty(dev.aand.config.Limits.MAX_WEIGHT_BYTES);
        }
        assertEquals(64, SafetensorsReader.read(file).get("w").numel());
    }
}
