package dev.aand.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The served models: one {@link ModelWorker} per subfolder of the models folder, named after it.
 * The set of names is fixed at start; a reload re-reads one of them.
 */
final class ModelRegistry {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private final Map<String, ModelWorker> workers;
    /** Every model's solo lane (null without one): one thread for the server, see {@link SoloLane}. */
    private final SoloLane solo;

    private ModelRegistry(Map<String, ModelWorker> workers, SoloLane solo) {
        this.workers = workers;
        this.solo = solo;
    }

    /**
     * The model folders of {@code dir}, sorted by name. Hidden entries (a leading dot, e.g. a
     * model being written by {@code aand train}) and plain files are passed over; any other name
     * that is not {@code [a-z0-9][a-z0-9_-]*} (at most 64 characters) is refused.
     */
    static List<Path> discover(Path dir) {
        List<Path> folders;
        try (Stream<Path> s = Files.list(dir)) {
            folders = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list --models " + dir + ": " + e.getMessage(), e);
        }
        for (Path p : folders) {
            String name = p.getFileName().toString();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("model folder name '" + name + "' in " + dir
                        + " is not allowed: names are [a-z0-9][a-z0-9_-]*, at most 64 characters");
            }
        }
        if (folders.isEmpty()) {
            throw new IllegalArgumentException("--models " + dir + " has no model folders (one subfolder per model)");
        }
        return folders;
    }

    /** Starts a worker per folder (no model loaded yet), and the solo lane where the engine has one. */
    static ModelRegistry create(List<Path> folders, ServeOptions options, EngineThreads engine, ServeMetrics metrics,
            Consumer<String> log) {
        SoloLane solo = engine.hasSoloLane() ? new SoloLane(log) : null;
        Map<String, ModelWorker> w = new LinkedHashMap<>();
        for (Path p : folders) {
            String name = p.getFileName().toString();
            w.put(name, new ModelWorker(name, p, options, engine, solo, metrics));
        }
        return new ModelRegistry(Map.copyOf(w), solo);
    }

    /** Loads and verifies every model; the first failure names its folder. */
    void loadAll(Consumer<String> log) {
        for (ModelWorker w : sorted()) {
            long t0 = System.nanoTime();
            try {
                w.load();
            } catch (RuntimeException e) {
                throw notLoaded(w.name, w.dir, e);
            }
            log.accept(String.format(java.util.Locale.ROOT, "loaded model %s (%s) in %.1f s", w.name,
                    w.current().version.substring(0, 12), (System.nanoTime() - t0) / 1e9));
        }
    }

    /** A model that failed to load, named with its folder. */
    static IllegalStateException notLoaded(String name, Path dir, RuntimeException e) {
        return new IllegalStateException("model '" + name + "' (" + dir + ") did not load: " + e.getMessage(), e);
    }

    /** The worker of {@code name}, or 404. */
    ModelWorker get(String name) {
        ModelWorker w = workers.get(name);
        if (w == null) {
            throw new ApiError(404, "unknown_model", "no model named '" + name + "'; known: "
                    + String.join(", ", workers.keySet().stream().sorted().toList()));
        }
        return w;
    }

    boolean has(String name) {
        return workers.containsKey(name);
    }

    Collection<ModelWorker> sorted() {
        return workers.values().stream().sorted(java.util.Comparator.comparing(w -> w.name)).toList();
    }

    /**
     * Stops every worker (queued images finish, every version is closed), then the solo lane: a
     * worker's lanes stop only once the solo lane is done with its images.
     */
    void stop(long timeoutMs, Consumer<String> log) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        for (ModelWorker w : sorted()) {
            w.stop(Math.max(1, deadline - System.currentTimeMillis()), log);
        }
        if (solo != null) {
            solo.stop(Math.max(1, deadline - System.currentTimeMillis()));
        }
    }
}
