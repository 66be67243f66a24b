package dev.aand.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * An output folder written the safe way. {@link #open} accepts a target that does not exist, is
 * empty, or holds an earlier output of the same kind (recognised by the marker file
 * {@value #MARKER}), and only replaces the latter when asked to; anything else is refused with
 * one line, so a mistyped {@code --out} can never wipe a dataset or a home folder. The output is
 * written into a hidden staging sibling ({@link #staging()}), flushed to disk and swapped in by
 * {@link #commit()}; closing without a commit removes the staging folder, so the target holds the
 * old output or the new one, never a mix. A lock refuses a second writer of the same target.
 * Folders are created with the umask's permissions.
 *
 * <pre>{@code
 * try (OutputDir out = OutputDir.open(dir, OutputKind.REPORT, force)) {
 *     Files.writeString(out.staging().resolve("metrics.json"), json);
 *     out.commit();
 * }
 * }</pre>
 */
public final class OutputDir implements AutoCloseable {
    /** Marker file in every output folder; its content names the kind. */
    public static final String MARKER = ".aand-output";
    static final String STAGING = ".aand-tmp-";
    static final String OLD = ".aand-old-";
    /** A model folder written before markers existed holds exactly these files. */
    private static final Set<String> LEGACY_MODEL = Set.of("config.json", "model.json", "weights.safetensors");
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path target;
    private final OutputKind kind;
    private final boolean replace;
    private final OutputLock lock;
    private Path staging;
    private boolean committed;

    private OutputDir(Path target, OutputKind kind, boolean replace, OutputLock lock) {
        this.target = target;
        this.kind = kind;
        this.replace = replace;
        this.lock = lock;
    }

    /**
     * Claims {@code target} for an output of {@code kind}: takes its lock, tidies up what a killed
     * earlier run left beside it, and checks that writing there destroys nothing aand did not
     * create.
     *
     * @param replace whether an earlier output of the same kind may be replaced (the CLI's {@code --force})
     * @throws IllegalArgumentException naming the target when it may not be written
     * @throws IllegalStateException when another writer holds the target
     */
    public static OutputDir open(Path target, OutputKind kind, boolean replace) {
        Path t = normalise(target);
        try {
            Files.createDirectories(t.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + t.getParent() + ": " + e.getMessage(), e);
        }
        OutputLock lock = OutputLock.acquire(t);
        try {
            if (lock.outermost()) {
                tidy(t);
            }
            check(t, kind, replace);
            return new OutputDir(t, kind, replace, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        } catch (IOException e) {
            lock.close();
            throw new UncheckedIOException("cannot prepare " + t + ": " + e.getMessage(), e);
        }
    }

    /** The final location (absolute). */
    public Path target() {
        return target;
    }

    /** The folder to write the output into; created on first use, empty. */
    public Path staging() {
        if (committed) {
            throw new IllegalStateException(target + " is already committed");
        }
        if (staging == null) {
            Path s = target.resolveSibling("." + target.getFileName() + STAGING + ProcessHandle.current().pid()
                    + "-" + SEQUENCE.incrementAndGet());
            try {
                Files.createDirectory(s);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a staging folder beside " + target + ": "
                        + e.getMessage(), e);
            }
            staging = s;
        }
        return staging;
    }

    /**
     * Writes the marker, flushes every staged file to disk and swaps the staging folder in place
     * of the target; an earlier output there is removed only after the swap.
     */
    public void commit() {
        Path s = staging();
        try {
            Files.writeString(s.resolve(MARKER), "kind=" + kind.id() + "\n", StandardCharsets.UTF_8);
            forceTree(s);
            HaltPoint.reach("commit:" + kind.id() + ":staged");
            // The target may have changed during a long run (files dropped into an empty folder).
            check(target, kind, replace);
            Path old = null;
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                old = target.resolveSibling("." + target.getFileName() + OLD + ProcessHandle.current().pid()
                        + "-" + SEQUENCE.incrementAndGet());
                Disk.rename(target, old);
            }
            try {
                Disk.rename(s, target);
            } catch (IOException e) {
                if (old != null) {
                    Disk.rename(old, target);
                }
                throw e;
            }
            Disk.flush(target.getParent());
            committed = true;
            staging = null;
            if (old != null) {
                deleteTree(old);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Removes the staging folder unless committed, and releases the lock. */
    @Override
    public void close() {
        try {
            if (staging != null) {
                deleteTree(staging);
                staging = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the staging folder beside " + target + ": "
                    + e.getMessage(), e);
        } finally {
            lock.close();
        }
    }

    private static Path normalise(Path target) {
        Path t = target.toAbsolutePath().normalize();
        try {
            if (Files.isSymbolicLink(t)) {
                t = t.toRealPath();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(target + " is a broken link: " + e.getMessage(), e);
        }
        if (t.getParent() == null || t.getFileName() == null) {
            throw new IllegalArgumentException("cannot write an output to the root folder " + t);
        }
        return t;
    }

    /** Refuses a target that is neither new, nor empty, nor an earlier output of this kind. */
    static void check(Path target, OutputKind kind, boolean replace) {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new IllegalArgumentException(target + " exists and is not a folder; refusing to replace it");
        }
        List<String> entries = list(target);
        if (entries.isEmpty()) {
            return;
        }
        OutputKind found = kindOf(target, entries);
        if (found == null) {
            throw new IllegalArgumentException(target + " is not empty and was not written by aand (no "
                    + MARKER + " marker); refusing to write into it: choose a new or empty folder");
        }
        if (found != kind) {
            throw new IllegalArgumentException(target + " holds an aand " + found.id() + ", not a " + kind.id()
                    + "; refusing to replace it: choose another folder");
        }
        if (!replace) {
            throw new IllegalArgumentException(target + " holds a " + kind.id()
                    + " from an earlier run; replacing it needs --force");
        }
    }

    private static OutputKind kindOf(Path target, List<String> entries) {
        Path marker = target.resolve(MARKER);
        if (Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
            try {
                String text = Files.readString(marker, StandardCharsets.UTF_8).strip();
                return text.startsWith("kind=") ? OutputKind.byId(text.substring(5)) : null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + marker + ": " + e.getMessage(), e);
            }
        }
        if (LEGACY_MODEL.equals(Set.copyOf(entries))
                && entries.stream().allMatch(n -> Files.isRegularFile(target.resolve(n), LinkOption.NOFOLLOW_LINKS))) {
            return OutputKind.MODEL;
        }
        return null;
    }

    /**
     * Cleans up after a run that was killed: a swap cut between its two renames is rolled back
     * (the earlier output returns), and staging folders are removed. Only names this class makes
     * are touched, plus the {@code .NAME.tmp-DIGITS} model folders that aand wrote before it.
     * The caller holds the lock, so every such sibling is stale.
     */
    private static void tidy(Path target) throws IOException {
        String name = target.getFileName().toString();
        List<Path> staged = new ArrayList<>();
        List<Path> old = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(target.getParent(),
                q -> q.getFileName().toString().startsWith("." + name + "."))) {
            for (Path p : s) {
                String rest = p.getFileName().toString().substring(name.length() + 1);
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (rest.startsWith(STAGING) || rest.matches("\\.tmp-\\d+") && isLegacyModelTemp(p)) {
                    staged.add(p);
                } else if (rest.startsWith(OLD) || rest.matches("\\.old--?\\d+") && isLegacyModelTemp(p)) {
                    old.add(p);
                }
            }
        }
        old.sort(Comparator.comparing(Path::toString));
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !old.isEmpty()) {
            Disk.rename(old.remove(old.size() - 1), target);
        }
        for (Path p : staged) {
            deleteTree(p);
        }
        for (Path p : old) {
            deleteTree(p);
        }
    }

    /** A folder the pre-marker ModelStore left: model files and its own weight temporaries only. */
    private static boolean isLegacyModelTemp(Path dir) {
        return list(dir).stream().allMatch(n -> LEGACY_MODEL.contains(n)
                || n.startsWith(".weights.safetensors") && n.endsWith(".tmp"));
    }

    private static List<String> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void forceTree(Path root) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            if (!Files.isSymbolicLink(p)) {
                Disk.flush(p);
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
