package dev.aand.backbone.weights;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.aand.config.Limits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads safetensors files: u64 little-endian header length N, N bytes of JSON header
 * ({@code __metadata__} plus name -> dtype/shape/data_offsets), then the data section. Every offset
 * and size is validated before any data is read, so a truncated or corrupt file gives a message
 * naming the tensor instead of an exception from deep inside.
 */
public final class SafetensorsReader {

    /** Same cap as the reference implementation: a real header is kilobytes, not gigabytes. */
    static final long MAX_HEADER_BYTES = 100L << 20;

    /** The header's string metadata and the tensors, in data-section order. */
    public record Contents(Map<String, String> metadata, LinkedHashMap<String, HostTensor> tensors) {}

    private record Slot(String name, DType dtype, long[] shape, long begin, long end, int headerIndex) {}

    private SafetensorsReader() {}

    /** All tensors, ordered by their position in the data section. */
    public static LinkedHashMap<String, HostTensor> read(Path file) {
        return readWithMetadata(file).tensors();
    }

    /** Tensors and the {@code __metadata__} map (empty if absent). */
    public static Contents readWithMetadata(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new WeightFormatException(file + ": only " + size + " bytes, too short for a safetensors"
                        + " file (truncated?)");
            }
            long headerLen = readFully(ch, 0, 8, file).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLen < 2 || headerLen > MAX_HEADER_BYTES) {
                throw new WeightFormatException(file + ": safetensors header length " + Long.toUnsignedString(headerLen)
                        + " is implausible (corrupt file or not safetensors)");
            }
            if (headerLen > size - 8) {
                throw new WeightFormatException(file + ": safetensors header claims " + headerLen + " bytes but the"
                        + " file has only " + (size - 8) + " after the length field (truncated?)");
            }
            JsonObject header = parseHeader(readFully(ch, 8, (int) headerLen, file), file);
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;

            Map<String, String> metadata = new LinkedHashMap<>();
            List<Slot> slots = new ArrayList<>();
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    readMetadata(e.getValue(), metadata, file);
                } else {
                    slots.add(slot(e.getKey(), e.getValue(), slots.size(), file));
                }
            }
            slots.sort(Comparator.comparingLong(Slot::begin).thenComparingInt(Slot::headerIndex));

            LinkedHashMap<String, HostTensor> tensors = new LinkedHashMap<>();
            long budget = Limits.maxWeightBytes();
            long previousEnd = 0;
            String previous = null;
            for (Slot s : slots) {
                if (s.end() > dataLen) {
                    throw new WeightFormatException(file + ": tensor '" + s.name() + "' needs data bytes ["
                            + s.begin() + ", " + s.end() + ") but the data section has only " + dataLen
                            + " bytes (truncated file?)");
                }
                if (s.begin() < previousEnd && s.end() > s.begin()) {
                    throw new WeightFormatException(file + ": tensor '" + s.name() + "' overlaps tensor '" + previous
                            + "' in the data section");
                }
                budget -= s.end() - s.begin();
                if (budget < 0) {
                    throw new WeightFormatException(file + ": tensor '" + s.name() + "' goes past the weight-file"
                            + " budget of " + Limits.maxWeightBytes() + " bytes (set " + Limits.MAX_WEIGHT_BYTES
                            + " to raise it)");
                }
                byte[] bytes = readFully(ch, dataStart + s.begin(), (int) (s.end() - s.begin()), file).array();
                tensors.put(s.name(), new HostTensor(s.dtype(), s.shape(), bytes));
                previousEnd = Math.max(previousEnd, s.end());
                previous = s.name();
            }
            return new Contents(metadata, tensors);
        } catch (IOException e) {
            throw new WeightFormatException(file + ": cannot read: " + e, e);
        }
    }

    private static JsonObject parseHeader(ByteBuffer raw, Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(raw).toString();
        } catch (CharacterCodingException e) {
            throw new WeightFormatException(file + ": safetensors header is not UTF-8 (corrupt or not safetensors)");
        }
        try {
            JsonElement root = JsonParser.parseString(text);
            if (!root.isJsonObject()) {
                throw new WeightFormatException(file + ": safetensors header is not a JSON object");
            }
            return root.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new WeightFormatException(file + ": safetensors header is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static void readMetadata(JsonElement value, Map<String, String> into, Path file) {
        if (!value.isJsonObject()) {
            throw new WeightFormatException(file + ": __metadata__ must be an object of strings");
        }
        for (Map.Entry<String, JsonElement> m : value.getAsJsonObject().entrySet()) {
            JsonElement v = m.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                throw new WeightFormatException(file + ": __metadata__ entry '" + m.getKey() + "' is not a string");
            }
            into.put(m.getKey(), v.getAsString());
        }
    }

    private static Slot slot(String name, JsonElement value, int index, Path file) {
        String where = file + ": tensor '" + name + "'";
        if (!value.isJsonObject()) {
            throw new WeightFormatException(where + ": header entry is not an object");
        }
        JsonObject o = value.getAsJsonObject();
        JsonElement dt = o.get("dtype");
        if (dt == null || !dt.isJsonPrimitive()) {
            throw new WeightFormatException(where + ": missing dtype");
        }
        DType dtype = DType.fromSafetensors(dt.getAsString());
        if (dtype == null) {
            throw new WeightFormatException(where + ": unsupported dtype '" + dt.getAsString() + "'");
        }
        long[] shape = integers(o.get("shape"), -1, where + ": shape");
        long[] offsets = integers(o.get("data_offsets"), 2, where + ": data_offsets");
        if (offsets[1] < offsets[0]) {
            throw new WeightFormatException(where + ": data_offsets " + HostTensor.formatShape(offsets)
                    + " end before they begin");
        }
        long numel = 1;
        try {
            for (long d : shape) {
                numel = Math.multiplyExact(numel, d);
            }
            long bytes = Math.multiplyExact(numel, (long) dtype.byteSize());
            if (bytes != offsets[1] - offsets[0]) {
                throw new WeightFormatException(where + ": " + dtype.safetensorsName() + " " + HostTensor.formatShape(shape)
                        + " needs " + bytes + " bytes but data_offsets " + HostTensor.formatShape(offsets) + " span "
                        + (offsets[1] - offsets[0]));
            }
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new WeightFormatException(where + ": larger than 2 GiB, which a host tensor cannot hold");
            }
        } catch (ArithmeticException e) {
            throw new WeightFormatException(where + ": impossible shape " + HostTensor.formatShape(shape));
        }
        return new Slot(name, dtype, shape, offsets[0], offsets[1], index);
    }

    /** A JSON array of non-negative integers (of the given length unless -1). */
    private static long[] integers(JsonElement e, int length, String what) {
        if (e == null || !e.isJsonArray()) {
            throw new WeightFormatException(what + " is missing or not an array");
        }
        JsonArray a = e.getAsJsonArray();
        if (length >= 0 && a.size() != length) {
            throw new WeightFormatException(what + " must have " + length + " entries, has " + a.size());
        }
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement v = a.get(i);
            try {
                if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
                    throw new ArithmeticException();
                }
                out[i] = v.getAsBigDecimal().longValueExact();
            } catch (ArithmeticException | NumberFormatException ex) {
                throw new WeightFormatException(what + " has a non-integer entry " + v);
            }
            if (out[i] < 0) {
                throw new WeightFormatException(what + " has a negative entry " + out[i]);
            }
        }
        return out;
    }

    private static ByteBuffer readFully(FileChannel ch, long at, int n, Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            int r = ch.read(buf, at + buf.position());
            if (r < 0) {
                throw new WeightFormatException(file + ": ends unexpectedly at byte " + (at + buf.position())
                        + " (truncated file?)");
            }
        }
        return buf.flip();
    }
}
