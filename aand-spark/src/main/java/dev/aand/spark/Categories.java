package dev.aand.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The categories a multi-category job works on: a comma-separated list, or "all" found under the root. */
final class Categories {
    /** A category is also a folder name under the output: no separators, no "." or "..". */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

    private Categories() {}

    static List<String> resolve(String kind, Path root, String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("--categories is empty (give a,b,c or all)");
        }
        if (spec.trim().equalsIgnoreCase("all")) {
            return discover(kind, root);
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String s : spec.split(",")) {
            String c = s.trim();
            if (!NAME.matcher(c).matches()) {
                throw new IllegalArgumentException("bad category name '" + c + "' in --categories " + spec
                        + " (letters, digits, '.', '_', '-'; no path separators)");
            }
            names.add(c);
        }
        return new ArrayList<>(names);
    }

    /** Category folders of a benchmark layout: those with train/ (MVTec AD, 3D-AD) or Data/ (VisA). */
    static List<String> discover(String kind, Path root) {
        String marker = switch (kind.toLowerCase(Locale.ROOT)) {
            case "mvtec", "mvtec3d" -> "train";
            case "visa" -> "Data";
            default -> throw new IllegalArgumentException("--categories all needs a benchmark layout (mvtec, mvtec3d, visa), not " + kind);
        };
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("dataset root not found: " + root);
        }
        try (Stream<Path> s = Files.list(root)) {
            List<String> found = s.filter(p -> Files.isDirectory(p.resolve(marker)))
                    .map(p -> p.getFileName().toString()).filter(n -> NAME.matcher(n).matches()).sorted().toList();
            if (found.isEmpty()) {
                throw new IllegalArgumentException("no " + kind + " categories under " + root + " (no folder with " + marker + "/)");
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }
}
