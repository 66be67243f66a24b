package dev.aand.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Folder listing shared by the dataset layouts: which files are images, in which order. */
public final class ImageFiles {
    /** File extensions read as images (lower case, without the dot). */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff");

    private ImageFiles() {}

    public static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return !n.startsWith(".") && dot > 0
                && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT))
                && Files.isRegularFile(p);
    }

    public static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** Image files directly in {@code dir}, sorted by file name; {@code dir} must exist. */
    public static List<Path> list(Path dir) {
        requireDir(dir, "image folder");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(ImageFiles::isImage)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new DataException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Like {@link #list} but an empty folder is an error. */
    public static List<Path> listNonEmpty(Path dir, String what) {
        List<Path> l = list(dir);
        if (l.isEmpty()) {
            throw new DataException(what + " is empty: no " + String.join("/", EXTENSIONS)
                    + " images in " + dir);
        }
        return l;
    }

    /** Sub-folders of {@code dir}, sorted by name. */
    static List<Path> subdirs(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new DataException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    static Path requireDir(Path dir, String what) {
        if (dir == null) {
            throw new DataException(what + " is not set");
        }
        if (!Files.isDirectory(dir)) {
            throw new DataException(what + " not found: " + dir.toAbsolutePath()
                    + (Files.exists(dir) ? " (not a directory)" : ""));
        }
        return dir;
    }

    /** The category folder under {@code root}, with the available ones named if it is missing. */
    static Path categoryDir(DatasetOptions opts, String kind) {
        Path root = requireDir(opts.root(), kind + " dataset root");
        if (opts.category() == null || opts.category().isBlank()) {
            throw new DataException(kind + " needs a category (one of: " + names(subdirs(root))
                    + " under " + root + ")");
        }
        Path dir = root.resolve(opts.category());
        if (!Files.isDirectory(dir)) {
            throw new DataException("category '" + opts.category() + "' not found: " + dir
                    + " does not exist (available: " + names(subdirs(root)) + ")");
        }
        return dir;
    }

    static String names(List<Path> dirs) {
        return dirs.isEmpty() ? "none"
                : String.join(", ", dirs.stream().map(p -> p.getFileName().toString()).toList());
    }
}
