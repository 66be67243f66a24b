package dev.aand.backbone.weights;

import dev.aand.backbone.weights.PickleMachine.Global;
import dev.aand.backbone.weights.PickleMachine.PyObject;
import dev.aand.config.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a state_dict saved by {@code torch.save} in the zip container (PyTorch >= 1.6): the pickle
 * in {@code <prefix>/data.pkl} describes the tensors, each storage is the raw little-endian record
 * {@code <prefix>/data/<key>}. Views (offset/stride, shared storages) are materialised as
 * contiguous copies. A top-level {@code {"state_dict": {...}}} wrapper is unwrapped; key names are
 * returned exactly as saved (no prefix stripping). The storage location a tensor was saved from
 * ({@code cpu}, {@code cuda:0}, ...) does not matter: every tensor is read to the host.
 */
public final class TorchCheckpointReader {

    private static final String DATA_PKL = "data.pkl";
    /** A state_dict pickle describes tensors, it does not hold them: real ones are kilobytes. */
    static final long MAX_PICKLE_BYTES = 64L << 20;

    /** A storage as referenced by a persistent id: element type, record key, element count. */
    private record StorageRef(DType dtype, String typeName, String key, long numel) {}

    /** The arguments of {@code _rebuild_tensor_v2}: a (possibly strided) view of a storage. */
    private record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    private TorchCheckpointReader() {}

    /** All tensors of the checkpoint's state_dict, in the order they were saved. */
    public static LinkedHashMap<String, HostTensor> read(Path file) {
        return read(file, Limits.maxWeightBytes());
    }

    /** As {@link #read(Path)}, reading at most {@code budget} bytes of records from the archive. */
    static LinkedHashMap<String, HostTensor> read(Path file, long budget) {
        return withArchive(file, budget, archive -> tensors(archive, stateDict(archive.top(), archive.file())));
    }

    /**
     * The state dicts a checkpoint holds as top-level entries, as training scripts save them
     * ({@code torch.save({'encoder': enc.state_dict(), 'decoder': dec.state_dict()})}), by entry
     * name in saved order. Entries that are not dicts of tensors are left out; a checkpoint that
     * is itself one flat state dict therefore gives an empty map.
     */
    public static LinkedHashMap<String, LinkedHashMap<String, HostTensor>> readGroups(Path file) {
        return withArchive(file, Limits.maxWeightBytes(), archive -> {
            if (!(archive.top() instanceof Map<?, ?> top)) {
                throw new WeightFormatException(file + ": top-level object is a "
                        + PickleMachine.describe(archive.top()) + ", expected a dict of state dicts");
            }
            LinkedHashMap<String, LinkedHashMap<String, HostTensor>> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : top.entrySet()) {
                if (e.getKey() instanceof String name && e.getValue() instanceof Map<?, ?> group
                        && !group.isEmpty() && group.values().stream().allMatch(v -> v instanceof TensorRef)) {
                    out.put(name, tensors(archive, group));
                }
            }
            return out;
        });
    }

    /** Bytes that may still be inflated from one archive. */
    private static final class Budget {
        private long left;

        Budget(long bytes) {
            left = bytes;
        }

        void take(long bytes, String file, String record) {
            if (bytes > left) {
                throw new WeightFormatException(file + ": record '" + record + "' declares " + bytes
                        + " bytes, more than the " + left + " bytes left of the weight-file budget (set "
                        + Limits.MAX_WEIGHT_BYTES + " to raise it)");
            }
            left -= bytes;
        }
    }

    /** An open checkpoint: its zip, record prefix, unpickled top-level object and read budget. */
    private record Archive(ZipFile zip, String prefix, Object top, String file, Map<String, byte[]> storages,
            Budget budget) {}

    private interface ArchiveReader<T> {
        T apply(Archive archive) throws IOException;
    }

    private static <T> T withArchive(Path path, long budgetBytes, ArchiveReader<T> reader) {
        try (ZipFile zip = new ZipFile(path.toFile())) {
            String file = path.toString();
            Budget budget = new Budget(budgetBytes);
            String prefix = findPrefix(zip, file);
            checkByteOrder(zip, prefix, file, budget);
            ZipEntry pkl = zip.getEntry(prefix + DATA_PKL);
            if (pkl.getSize() > MAX_PICKLE_BYTES) {
                throw new WeightFormatException(file + ": record '" + pkl.getName() + "' declares " + pkl.getSize()
                        + " bytes; a state_dict pickle is never that large (corrupt or crafted file)");
            }
            byte[] pickle = readEntry(zip, pkl, file, budget);
            Object top = new PickleMachine(pickle, file + " (" + prefix + DATA_PKL + ")", new TorchResolver()).run();
            return reader.apply(new Archive(zip, prefix, top, file, new HashMap<>(), budget));
        } catch (ZipException e) {
            throw new WeightFormatException(path + ": not a readable zip archive, so not a torch.save checkpoint"
                    + " (truncated or corrupt download?): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new WeightFormatException(path + ": cannot read: " + e, e);
        }
    }

    /** Materialises a dict of tensor references; storages shared between dicts are read once. */
    private static LinkedHashMap<String, HostTensor> tensors(Archive archive, Map<?, ?> dict) throws IOException {
        String file = archive.file();
        Map<String, byte[]> storages = archive.storages();
        LinkedHashMap<String, HostTensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new WeightFormatException(file + ": state_dict has a non-string key " + e.getKey());
            }
            if (!(e.getValue() instanceof TensorRef ref)) {
                throw new WeightFormatException(file + ": state_dict entry '" + key + "' is a "
                        + PickleMachine.describe(e.getValue()) + ", not a tensor");
            }
            StorageRef s = ref.storage();
            if (s.dtype() == null) {
                throw new WeightFormatException(file + ": tensor '" + key + "' uses unsupported storage type "
                        + s.typeName());
            }
            byte[] storage = storages.get(s.key());
            if (storage == null) {
                storage = loadStorage(archive.zip(), archive.prefix(), s, file, archive.budget());
                storages.put(s.key(), storage);
            }
            out.put(key, materialise(ref, storage, key, file));
        }
        return out;
    }

    private static String findPrefix(ZipFile zip, String file) {
        List<String> found = new ArrayList<>();
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            // Torch writes "<stem>/data.pkl"; the stem is whatever the file was called when saved.
            if (name.equals(DATA_PKL) || (name.endsWith("/" + DATA_PKL) && name.indexOf('/') == name.length() - 9)) {
                found.add(name.substring(0, name.length() - DATA_PKL.length()));
            }
        }
        if (found.isEmpty()) {
            throw new WeightFormatException(file + ": zip archive has no '<name>/data.pkl' entry, so it is not a"
                    + " torch.save checkpoint");
        }
        if (found.size() > 1) {
            throw new WeightFormatException(file + ": zip archive has several data.pkl entries " + found
                    + "; cannot tell which one is the checkpoint");
        }
        return found.get(0);
    }

    private static void checkByteOrder(ZipFile zip, String prefix, String file, Budget budget) throws IOException {
        ZipEntry e = zip.getEntry(prefix + "byteorder");
        if (e != null) {
            String order = new String(readEntry(zip, e, file, budget), StandardCharsets.US_ASCII).trim();
            if (!order.equals("little")) {
                throw new WeightFormatException(file + ": checkpoint was saved on a '" + order
                        + "'-endian machine; only little-endian checkpoints are supported");
            }
        }
    }

    private static Map<?, ?> stateDict(Object top, String file) {
        if (top instanceof PyObject o) {
            throw new WeightFormatException(file + ": holds a pickled " + o.type.qualified()
                    + " object (a whole model saved with torch.save(model)?), not a state_dict; save"
                    + " model.state_dict() instead");
        }
        if (!(top instanceof Map<?, ?> m)) {
            throw new WeightFormatException(file + ": top-level object is a " + PickleMachine.describe(top)
                    + ", expected a state_dict (a dict of tensors)");
        }
        boolean allTensors = m.values().stream().allMatch(v -> v instanceof TensorRef);
        if (!allTensors && m.get("state_dict") instanceof Map<?, ?> inner) {
            return inner;
        }
        if (!allTensors) {
            throw new WeightFormatException(file + ": top-level dict with keys " + m.keySet()
                    + " is neither a state_dict nor has a 'state_dict' entry");
        }
        return m;
    }

    private static byte[] loadStorage(ZipFile zip, String prefix, StorageRef s, String file, Budget budget)
            throws IOException {
        String name = prefix + "data/" + s.key();
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new WeightFormatException(file + ": storage record '" + name + "' is missing from the archive");
        }
        long needed;
        try {
            needed = Math.multiplyExact(s.numel(), (long) s.dtype().byteSize());
        } catch (ArithmeticException e) {
            needed = -1;
        }
        if (s.numel() < 0 || needed < 0) {
            throw new WeightFormatException(file + ": storage record '" + name + "' declares an impossible "
                    + Long.toUnsignedString(s.numel()) + " " + s.dtype() + " elements");
        }
        if (entry.getSize() >= 0 && entry.getSize() < needed) {
            throw new WeightFormatException(file + ": storage record '" + name + "' has " + entry.getSize()
                    + " bytes but declares " + s.numel() + " " + s.dtype() + " elements (" + needed + " bytes)");
        }
        byte[] bytes = readEntry(zip, entry, file, budget);
        if (bytes.length < needed) {
            throw new WeightFormatException(file + ": storage record '" + name + "' has " + bytes.length
                    + " bytes but declares " + s.numel() + " " + s.dtype() + " elements (" + needed + " bytes)");
        }
        return bytes;
    }

    /**
     * Reads one record, never more than its declared size and never past the budget: the
     * declared size is checked before anything is allocated, and a compressed record that
     * inflates beyond it (a zip bomb) is refused after one extra byte.
     */
    private static byte[] readEntry(ZipFile zip, ZipEntry entry, String file, Budget budget) throws IOException {
        long declared = entry.getSize();
        if (declared < 0) {
            throw new WeightFormatException(file + ": record '" + entry.getName() + "' does not declare its size"
                    + " (not written by torch.save)");
        }
        if (declared > Integer.MAX_VALUE - 8) {
            throw new WeightFormatException(file + ": record '" + entry.getName() + "' is larger than 2 GiB,"
                    + " which a single host tensor cannot hold");
        }
        budget.take(declared, file, entry.getName());
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) declared);
            if (bytes.length != declared) {
                throw new WeightFormatException(file + ": record '" + entry.getName() + "' is truncated");
            }
            if (in.read() >= 0) {
                throw new WeightFormatException(file + ": record '" + entry.getName() + "' inflates beyond its"
                        + " declared " + declared + " bytes (corrupt archive or zip bomb)");
            }
            return bytes;
        } catch (ZipException e) {
            throw new WeightFormatException(file + ": record '" + entry.getName() + "' is corrupt: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Copies the logical (row-major) elements of a strided view out of its storage. Every
     * position is computed in checked long arithmetic and bounds-checked against the bytes
     * actually read before any int cast.
     */
    private static HostTensor materialise(TensorRef ref, byte[] storage, String key, String file) {
        long[] size = ref.size();
        long[] stride = ref.stride();
        DType dtype = ref.storage().dtype();
        int es = dtype.byteSize();
        String where = file + ": tensor '" + key + "'";
        if (size.length != stride.length) {
            throw new WeightFormatException(where + " has size " + HostTensor.formatShape(size)
                    + " but stride " + HostTensor.formatShape(stride));
        }
        long numel = 1;
        long last = ref.offset();
        long bytes;
        for (int d = 0; d < size.length; d++) {
            if (size[d] < 0 || stride[d] < 0) {
                throw new WeightFormatException(where + " has a negative size or stride");
            }
        }
        try {
            for (int d = 0; d < size.length; d++) {
                numel = Math.multiplyExact(numel, size[d]);
                last = Math.addExact(last, Math.multiplyExact(Math.max(size[d] - 1, 0), stride[d]));
            }
            bytes = Math.multiplyExact(numel, (long) es);
        } catch (ArithmeticException e) {
            throw new WeightFormatException(where + " has an impossible size " + HostTensor.formatShape(size)
                    + " (offset " + ref.offset() + ", stride " + HostTensor.formatShape(stride) + ")");
        }
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new WeightFormatException(where + " is larger than 2 GiB");
        }
        byte[] out = new byte[(int) bytes];
        if (numel == 0) {
            return new HostTensor(dtype, size, out);
        }
        long available = Math.min(ref.storage().numel(), storage.length / es);
        if (ref.offset() < 0 || last >= available) {
            throw new WeightFormatException(where + " (offset " + ref.offset() + ", size "
                    + HostTensor.formatShape(size) + ", stride " + HostTensor.formatShape(stride)
                    + ") reaches past its storage of " + available + " elements");
        }
        // From here every element position is below available <= storage.length / es, so the
        // byte positions below fit in an int.
        if (isRowMajor(size, stride)) {
            System.arraycopy(storage, (int) (ref.offset() * es), out, 0, out.length);
            return new HostTensor(dtype, size, out);
        }
        // Odometer over the logical index; the source position follows the strides.
        int rank = size.length;
        long[] idx = new long[rank];
        long src = ref.offset();
        for (int i = 0; i < numel; i++) {
            System.arraycopy(storage, (int) (src * es), out, i * es, es);
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < size[d]) {
                    src += stride[d];
                    break;
                }
                src -= (size[d] - 1) * stride[d];
                idx[d] = 0;
            }
        }
        return new HostTensor(dtype, size, out);
    }

    private static boolean isRowMajor(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }

    /** Interprets the few torch callables a state_dict pickle uses; anything else stays inert. */
    private static final class TorchResolver implements PickleMachine.Resolver {
        @Override
        public Object persistentLoad(Object pid) {
            if (!(pid instanceof List<?> t) || t.size() < 5 || !"storage".equals(t.get(0))) {
                throw new WeightFormatException("unexpected persistent id " + pid + " (expected a storage tuple)");
            }
            String typeName = t.get(1) instanceof Global g ? g.qualified() : String.valueOf(t.get(1));
            String simple = typeName.substring(typeName.lastIndexOf('.') + 1);
            DType dtype = simple.equals("UntypedStorage") ? DType.U8 : DType.fromTorchStorage(simple);
            return new StorageRef(dtype, typeName, String.valueOf(t.get(2)), asLong(t.get(4), "storage numel"));
        }

        @Override
        public Object call(Global callable, List<Object> args) {
            switch (callable.qualified()) {
                case "collections.OrderedDict" -> {
                    Map<Object, Object> m = new LinkedHashMap<>();
                    if (!args.isEmpty() && args.get(0) instanceof List<?> pairs) {
                        for (Object p : pairs) {
                            List<?> kv = (List<?>) p;
                            m.put(kv.get(0), kv.get(1));
                        }
                    }
                    return m;
                }
                case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> {
                    if (args.size() < 4 || !(args.get(0) instanceof StorageRef s)) {
                        throw new WeightFormatException("_rebuild_tensor called without a storage");
                    }
                    return new TensorRef(s, asLong(args.get(1), "storage_offset"), longs(args.get(2), "size"),
                            longs(args.get(3), "stride"));
                }
                case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                    // A Parameter wraps its data tensor; requires_grad and hooks do not matter here.
                    return args.isEmpty() ? null : args.get(0);
                }
                case "torch._tensor._rebuild_from_type_v2" -> {
                    // (func, subclass, func_args, state): rebuild the plain tensor, drop the subclass.
                    if (args.size() >= 3 && args.get(0) instanceof Global f && args.get(2) instanceof List<?> a) {
                        @SuppressWarnings("unchecked")
                        List<Object> inner = (List<Object>) a;
                        return call(f, inner);
                    }
                    return new PyObject(callable, args);
                }
                default -> {
                    return new PyObject(callable, args);
                }
            }
        }

        private static long asLong(Object v, String what) {
            if (v instanceof Long l) {
                return l;
            }
            throw new WeightFormatException("expected an integer " + what + ", got " + PickleMachine.describe(v));
        }

        private static long[] longs(Object v, String what) {
            if (!(v instanceof List<?> list)) {
                throw new WeightFormatException("expected a tuple for tensor " + what + ", got "
                        + PickleMachine.describe(v));
            }
            long[] out = new long[list.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = asLong(list.get(i), what);
            }
            return out;
        }
    }
}
