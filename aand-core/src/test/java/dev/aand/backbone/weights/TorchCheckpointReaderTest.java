package dev.aand.backbone.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aand.testing.Fixtures;
import dev.aand.testing.HostileFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TorchCheckpointReaderTest {

    @TempDir
    Path tmp;

    @Test
    void tinyCheckpointIsReadBitExactlyInSaveOrder() throws IOException {
        TinyCheckpointTruth truth = new TinyCheckpointTruth();
        LinkedHashMap<String, HostTensor> sd = TorchCheckpointReader.read(TinyCheckpointTruth.PT);
        assertEquals(truth.keys(), new ArrayList<>(sd.keySet()), "key order");
        truth.assertBitExact(sd);
    }

    @Test
    void viewsAreMaterialisedFromTheirStorage() {
        LinkedHashMap<String, HostTensor> sd = TorchCheckpointReader.read(TinyCheckpointTruth.PT);
        // shared_slice = shared_base[1:3, 2:5] on the same storage record
        float[] base = sd.get("extra.shared_base").toFloatArray();
        float[] slice = sd.get("extra.shared_slice").toFloatArray();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(Float.floatToRawIntBits(base[(i + 1) * 6 + j + 2]),
                        Float.floatToRawIntBits(slice[i * 3 + j]));
            }
        }
        assertArrayEquals(new long[] {5, 3}, sd.get("extra.transposed").shape());
        float[] half = sd.get("extra.half").toFloatArray();
        assertEquals(65504f, half[4]);
        assertEquals(0x1p-14f, half[5]);
        assertEquals(0x1p-24f, half[6]);
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(half[7]));
    }

    @Test
    void parityCheckpointMatchesItsKeyList() throws IOException {
        Path dir = Fixtures.fixture("06_forward_parity");
        List<String> lines = Files.readAllLines(dir.resolve("parity_state_dict.keys.tsv"));
        LinkedHashMap<String, HostTensor> sd = TorchCheckpointReader.read(dir.resolve("parity_state_dict.pt"));
        assertEquals(lines.size(), sd.size());
        List<String> keys = new ArrayList<>(sd.keySet());
        for (int i = 0; i < lines.size(); i++) {
            String[] cols = lines.get(i).split("\t");
            assertEquals(cols[0], keys.get(i), "key order at line " + (i + 1));
            HostTensor t = sd.get(cols[0]);
            assertEquals(cols[1], shapeTsv(t.shape()), cols[0] + " shape");
            assertEquals(cols[2], torchName(t.dtype()), cols[0] + " dtype");
        }
        assertEquals(7L, sd.get("bn1.num_batches_tracked").toLongArray()[0]);
    }

    private static String torchName(DType d) {
        return switch (d) {
            case F32 -> "float32";
            case I64 -> "int64";
            default -> d.toString();
        };
    }

    private static String shapeTsv(long[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? "," : "").append(shape[i]);
        }
        return sb.append(']').toString();
    }

    /**
     * A hand-made checkpoint: {"epoch": 5, "state_dict": OrderedDict(model.w = Parameter(double
     * view))} with a BUILD on the OrderedDict, in protocol 2 and protocol 4 opcodes.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void unwrapsStateDictAndParameterAndHonoursStrides(int protocol) throws IOException {
        PickleBuilder p = new PickleBuilder(protocol);
        p.op('}').mark();
        p.str("epoch").integer(5);
        p.str("state_dict").emptyOrderedDict().mark();
        p.str("model.w").global("torch._utils", "_rebuild_parameter").mark();
        p.global("torch._utils", "_rebuild_tensor_v2").mark();
        p.mark().str("storage").global("torch", "DoubleStorage").str("0").str("cpu").integer(6).tuple().op('Q');
        p.integer(1); // storage_offset
        p.mark().integer(2).integer(2).tuple(); // size
        p.mark().integer(1).integer(2).tuple(); // stride: column-major view
        p.op(0x89).emptyOrderedDict().tuple().op('R');
        p.op(0x88).emptyOrderedDict().tuple().op('R');
        p.op('u'); // SETITEMS into the OrderedDict
        p.op('}').op('b'); // BUILD with a state, like _metadata
        p.op('u');
        byte[] pickle = p.stop();

        ByteBuffer storage = ByteBuffer.allocate(6 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            storage.putDouble(i);
        }
        Path file = zip("crafted.pt", Map.of("archive/data.pkl", pickle, "archive/data/0", storage.array(),
                "archive/version", "3\n".getBytes()));
        LinkedHashMap<String, HostTensor> sd = TorchCheckpointReader.read(file);
        assertEquals(List.of("model.w"), new ArrayList<>(sd.keySet()), "no prefix stripping, wrapper removed");
        HostTensor w = sd.get("model.w");
        assertEquals(DType.F64, w.dtype());
        assertArrayEquals(new long[] {2, 2}, w.shape());
        assertArrayEquals(new float[] {1, 3, 2, 4}, w.toFloatArray());
    }

    /**
     * A GPU-trained checkpoint as the official AAND train.py saves it: a dict of state dicts under a
     * "stage1/" record folder, storages tagged 'cuda:0'. The location is irrelevant on the host.
     */
    @Test
    void groupedStateDictsFromCudaStoragesLoad() throws IOException {
        PickleBuilder p = new PickleBuilder(2);
        p.op('}').mark();
        p.str("encoder_AT").emptyOrderedDict().mark();
        p.str("conv1.weight").global("torch._utils", "_rebuild_tensor_v2").mark();
        p.mark().str("storage").global("torch", "FloatStorage").str("0").str("cuda:0").integer(4).tuple().op('Q');
        p.integer(0).mark().integer(2).integer(2).tuple().mark().integer(2).integer(1).tuple();
        p.op(0x89).emptyOrderedDict().tuple().op('R');
        p.str("bn1.num_batches_tracked").global("torch._utils", "_rebuild_tensor_v2").mark();
        p.mark().str("storage").global("torch", "LongStorage").str("1").str("cuda:0").integer(1).tuple().op('Q');
        p.integer(0).mark().tuple().mark().tuple();
        p.op(0x89).emptyOrderedDict().tuple().op('R');
        p.op('u');
        p.str("epoch").integer(7);
        p.op('u');
        ByteBuffer floats = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) {
            floats.putFloat(i + 0.5f);
        }
        ByteBuffer longs = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1680);
        Path file = zip("gpu.pth", Map.of("stage1/data.pkl", p.stop(), "stage1/data/0", floats.array(),
                "stage1/data/1", longs.array(), "stage1/version", "3\n".getBytes()));

        var groups = TorchCheckpointReader.readGroups(file);
        assertEquals(List.of("encoder_AT"), new ArrayList<>(groups.keySet()), "non-dict entries are left out");
        HostTensor w = groups.get("encoder_AT").get("conv1.weight");
        assertArrayEquals(new long[] {2, 2}, w.shape());
        assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 3.5f}, w.toFloatArray());
        assertEquals(1680L, groups.get("encoder_AT").get("bn1.num_batches_tracked").toLongArray()[0]);
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> TorchCheckpointReader.read(file));
        assertTrue(e.getMessage().contains("[encoder_AT, epoch]"), e.getMessage());
    }

    @Test
    void missingStorageRecordIsNamed() throws IOException {
        Path file = rewrite("no_record.pt", (name, bytes) -> name.endsWith("/data/3") ? null : bytes);
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> TorchCheckpointReader.read(file));
        assertTrue(e.getMessage().contains("no_record.pt") && e.getMessage().contains("data/3"), e.getMessage());
    }

    @Test
    void truncatedPickleGivesClearMessage() throws IOException {
        Path file = rewrite("cut_pickle.pt", (name, bytes) ->
                name.endsWith("data.pkl") ? java.util.Arrays.copyOf(bytes, bytes.length / 2) : bytes);
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> TorchCheckpointReader.read(file));
        assertTrue(e.getMessage().contains("cut_pickle.pt") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void shortStorageRecordIsRejected() throws IOException {
        Path file = rewrite("short_record.pt", (name, bytes) ->
                name.endsWith("/data/0") ? java.util.Arrays.copyOf(bytes, 16) : bytes);
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> TorchCheckpointReader.read(file));
        assertTrue(e.getMessage().contains("short_record.pt") && e.getMessage().contains("data/0"), e.getMessage());
    }

    @Test
    void wholeModelPickleIsExplained() throws IOException {
        PickleBuilder p = new PickleBuilder(2);
        p.global("mymodels", "Net").op(')').op(0x81).op('}').op('b');
        Path file = zip("model.pt", Map.of("archive/data.pkl", p.stop()));
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> TorchCheckpointReader.read(file));
        assertTrue(e.getMessage().contains("mymodels.Net") && e.getMessage().contains("state_dict"), e.getMessage());
    }

    private interface EntryRewrite {
        byte[] apply(String name, byte[] bytes);
    }

    /** Copies the tiny checkpoint, transforming (or dropping, on null) entries. */
    private Path rewrite(String fileName, EntryRewrite f) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(TinyCheckpointTruth.PT.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                byte[] b = f.apply(e.getName(), z.getInputStream(e).readAllBytes());
                if (b != null) {
                    entries.put(e.getName(), b);
                }
            }
        }
        return zip(fileName, entries);
    }

    private Path zip(String fileName, Map<String, byte[]> entries) throws IOException {
        Path file = tmp.resolve(fileName);
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return file;
    }

    /** A state_dict {"w": FloatStorage of {@code numel} elements, viewed at {@code offset} as [size]}. */
    private static byte[] oneTensor(long numel, long offset, int size) {
        PickleBuilder p = new PickleBuilder(2);
        p.emptyOrderedDict().mark();
        p.str("w").global("torch._utils", "_rebuild_tensor_v2").mark();
        p.mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").longValue(numel).tuple().op('Q');
        p.longValue(offset);
        p.mark().integer(size).tuple();
        p.mark().integer(1).tuple();
        p.op(0x89).emptyOrderedDict().tuple().op('R');
        p.op('u');
        return p.stop();
    }

    private Path oneTensorFile(String name, long numel, long offset, int size, byte[] storage) throws IOException {
        return zip(name, Map.of("archive/data.pkl", oneTensor(numel, offset, size), "archive/data/0", storage));
    }

    @Test
    void aWellFormedOneTensorFileReads() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).putFloat(3)
                .putFloat(4);
        HostTensor w = TorchCheckpointReader.read(oneTensorFile("ok.pt", 4, 1, 2, b.array())).get("w");
        assertArrayEquals(new float[] {2, 3}, w.toFloatArray(), "the helper builds what the hostile cases bend");
    }

    @Test
    void aStorageOf2To62ElementsIsRefusedNotOverflowed() throws IOException {
        Path file = oneTensorFile("huge_storage.pt", 1L << 62, 0, 4, new byte[16]);
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> TorchCheckpointReader.read(file));
        assertTrue(e.getMessage().contains("huge_storage.pt") && e.getMessage().contains("data/0")
                && e.getMessage().contains(Long.toString(1L << 62)), e.getMessage());
    }

    @Test
    void aLargeOffsetIsRefusedNamingFileAndTensor() throws IOException {
        // Before: (int) (2^30 * 4) wrapped to 0 and the tensor silently read the storage's start.
        Path wraps = oneTensorFile("wrapping_offset.pt", (1L << 30) + 4, 1L << 30, 4, new byte[16]);
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> TorchCheckpointReader.read(wraps));
        assertTrue(e.getMessage().contains("wrapping_offset.pt") && e.getMessage().contains("data/0"), e.getMessage());
        Path past = oneTensorFile("past_end.pt", 4, 3, 2, new byte[16]);
        WeightFormatException p = assertThrows(WeightFormatException.class, () -> TorchCheckpointReader.read(past));
        assertTrue(p.getMessage().contains("past_end.pt") && p.getMessage().contains("tensor 'w'")
                && p.getMessage().contains("offset 3"), p.getMessage());
        Path negative = oneTensorFile("negative.pt", 4, Long.MIN_VALUE, 2, new byte[16]);
        WeightFormatException n = assertThrows(WeightFormatException.class, () -> TorchCheckpointReader.read(negative));
        assertTrue(n.getMessage().contains("negative.pt") && n.getMessage().contains("tensor 'w'"), n.getMessage());
    }

    @Test
    void aZipBombIsStoppedAtItsDeclaredSize() throws IOException {
        // 2.5 MB on disk; the storage record declares 16 bytes but inflates to 2.5 GiB of zeros,
        // which readAllBytes used to try to hold.
        Path file = HostileFiles.zipBomb(tmp.resolve("bomb.pth"), Map.of("archive/data.pkl", oneTensor(4, 0, 4)),
                "archive/data/0", 16, 5L << 29);
        assertTrue(Files.size(file) < 4_000_000, "small on disk: " + Files.size(file));
        long t0 = System.nanoTime();
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> TorchCheckpointReader.read(file));
        assertTrue((System.nanoTime() - t0) / 1e9 < 5, "refused without inflating the bomb");
        assertTrue(e.getMessage().contains("bomb.pth") && e.getMessage().contains("data/0")
                && e.getMessage().contains("inflates beyond"), e.getMessage());
    }

    @Test
    void recordsBeyondTheFileBudgetAreRefusedBeforeAllocation() throws IOException {
        Path file = oneTensorFile("budget.pt", 4, 0, 4, new byte[16]);
        assertEquals(4, TorchCheckpointReader.read(file, 1 << 20).get("w").numel());
        WeightFormatException e = assertThrows(WeightFormatException.class,
                () -> TorchCheckpointReader.read(file, 64));
        assertTrue(e.getMessage().contains("budget.pt") && e.getMessage().contains("budget"), e.getMessage());
    }
}
