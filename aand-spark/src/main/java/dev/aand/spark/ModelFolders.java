package dev.aand.spark;

import dev.aand.model.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;

/**
 * Finds a model folder where a Spark process can see it. A model reaches executors in one of two
 * ways: on storage every node mounts (the path is used as given), or shipped with
 * {@code --archives model.zip#NAME}, which Spark unpacks as {@code NAME} in the working directory
 * (YARN, Kubernetes) or under {@link SparkFiles#getRootDirectory()} (standalone, local). An archive
 * that holds the model folder itself, rather than its files, is looked into.
 */
final class ModelFolders {
    private ModelFolders() {}

    /** The model folder named {@code ref} as this process sees it, if it sees one. */
    static Optional<Path> find(String ref) {
        Path given = Path.of(ref);
        Optional<Path> p = modelIn(given);
        if (p.isPresent() || given.isAbsolute() || SparkEnv.get() == null) {
            return p;
        }
        return modelIn(Path.of(SparkFiles.getRootDirectory()).resolve(ref));
    }

    /** Like {@link #find} but a missing model is an error naming where it was looked for. */
    static Path require(String ref) {
        return find(ref).orElseThrow(() -> new IllegalArgumentException("model folder not found: " + ref
                + " (looked in " + Path.of(ref).toAbsolutePath()
                + (SparkEnv.get() == null ? "" : " and " + SparkFiles.getRootDirectory()) + ")"));
    }

    private static Optional<Path> modelIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        if (Files.isRegularFile(dir.resolve(ModelStore.META))) {
            return Optional.of(dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> inner = s.filter(q -> Files.isRegularFile(q.resolve(ModelStore.META))).toList();
            // An unpacked archive of the folder itself: NAME/<folder>/model.json.
            return inner.size() == 1 ? Optional.of(inner.get(0)) : Optional.of(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
