package dev.aand.model;

import dev.aand.io.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Where and from what a model was made, saved in {@code model.json} beside the aand version, the
 * dataset and the category that {@link ModelStore.ModelInfo} already records.
 *
 * @param createdAt when training finished, ISO-8601 UTC to the second
 * @param jvm Java runtime vendor and version
 * @param os operating system name, version and architecture
 * @param trainingFiles number of images training read (train plus held-back validation)
 * @param trainingFilesSha256 SHA-256 of their sorted list: one line per file, its path relative to
 *     the files' common folder (with '/') and its size in bytes, tab-separated
 */
public record Provenance(String createdAt, String jvm, String os, int trainingFiles, String trainingFilesSha256) {

    /** The provenance of a model trained now on {@code files}. */
    public static Provenance capture(List<Path> files) {
        return new Provenance(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version",
                        System.getProperty("java.version")),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                files.size(), fingerprint(files));
    }

    /** The digest of the sorted file list, independent of where the dataset lies on disk. */
    public static String fingerprint(List<Path> files) {
        List<Path> abs = files.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        Path common = abs.isEmpty() ? null : abs.get(0).getParent();
        for (Path p : abs) {
            while (common != null && !p.startsWith(common)) {
                common = common.getParent();
            }
        }
        List<String> lines = new ArrayList<>();
        for (Path p : abs) {
            String rel = (common == null ? p : common.relativize(p)).toString().replace('\\', '/');
            try {
                lines.add(rel + "\t" + Files.size(p) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the size of training file " + p + ": " + e.getMessage(), e);
            }
        }
        lines.sort(null);
        return Sha256.ofText(String.join("", lines));
    }
}
