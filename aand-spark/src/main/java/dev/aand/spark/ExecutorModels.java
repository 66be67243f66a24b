package dev.aand.spark;

import ai.djl.MalformedModelException;
import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import dev.aand.api.Aand;
import dev.aand.api.AnomalyResult;
import dev.aand.model.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * The models loaded in this JVM, one per model folder and version, shared by every task that runs
 * here: an executor loads a model once and keeps it for later tasks and stages. Tasks hold a
 * {@link Lease}; a model replaced by a newer version in the same folder is closed once its last
 * lease is returned.
 */
final class ExecutorModels {
    private static final Map<String, Entry> LOADED = new HashMap<>();
    private static final Map<Path, Stamped> VERSIONS = new HashMap<>();

    private ExecutorModels() {}

    private static final class Entry {
        final Path dir;
        final String version;
        final ZooModel<Image, AnomalyResult> model;
        int leases;
        boolean retired;

        Entry(Path dir, String version, ZooModel<Image, AnomalyResult> model) {
            this.dir = dir;
            this.version = version;
            this.model = model;
        }
    }

    /** A version computed for the weights file as it was (size, modification time). */
    private record Stamped(long size, long modified, String version) {}

    /** One task's use of a loaded model. */
    static final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        ZooModel<Image, AnomalyResult> model() {
            return entry.model;
        }

        String version() {
            return entry.version;
        }

        @Override
        public void close() {
            synchronized (ExecutorModels.class) {
                if (closed) {
                    return;
                }
                closed = true;
                entry.leases--;
                if (entry.retired && entry.leases == 0) {
                    entry.model.close();
                }
            }
        }
    }

    /** The model in {@code dir}, loaded on first use in this JVM. */
    static synchronized Lease acquire(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        String version = version(d);
        String key = d + "@" + version;
        Entry e = LOADED.get(key);
        if (e == null) {
            retireOlder(d);
            e = new Entry(d, version, load(d));
            LOADED.put(key, e);
        }
        e.leases++;
        return new Lease(e);
    }

    /** How many models this JVM holds (for tests). */
    static synchronized int loadedCount() {
        return LOADED.size();
    }

    private static void retireOlder(Path dir) {
        LOADED.values().removeIf(e -> {
            if (!e.dir.equals(dir)) {
                return false;
            }
            e.retired = true;
            if (e.leases == 0) {
                e.model.close();
            }
            return true;
        });
    }

    /** Hashing the weights once per file state, not once per task. */
    private static String version(Path dir) {
        Path weights = dir.resolve(ModelStore.WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            throw new IllegalArgumentException("not a model directory: " + dir + " (missing " + ModelStore.WEIGHTS + ")");
        }
        try {
            BasicFileAttributes a = Files.readAttributes(weights, BasicFileAttributes.class);
            Stamped s = VERSIONS.get(dir);
            if (s == null || s.size() != a.size() || s.modified() != a.lastModifiedTime().toMillis()) {
                s = new Stamped(a.size(), a.lastModifiedTime().toMillis(), ModelStore.weightsSha256(dir));
                VERSIONS.put(dir, s);
            }
            return s.version();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + weights + ": " + e.getMessage(), e);
        }
    }

    private static ZooModel<Image, AnomalyResult> load(Path dir) {
        try {
            return Aand.criteria(dir).loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException e) {
            throw new IllegalStateException("cannot load model " + dir + ": " + e.getMessage(), e);
        }
    }
}
