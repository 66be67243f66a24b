package dev.aand.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small MVTec-layout copy of the real cookie photos in ../shared: a few training images, a few
 * good and cracked test images with their masks. Tests train on it at tiny image sizes.
 */
public final class TinyCookie {
    private TinyCookie() {}

    public static Path create(Path root, int train, int good, int cracked) {
        Path src = Fixtures.shared().resolve("data/cookie");
        Path dst = root.resolve("cookie");
        try {
            copy(src.resolve("train/good"), dst.resolve("train/good"), train, null, null);
            copy(src.resolve("test/good"), dst.resolve("test/good"), good, null, null);
            copy(src.resolve("test/cracked"), dst.resolve("test/cracked"), cracked,
                    src.resolve("ground_truth/cracked"), dst.resolve("ground_truth/cracked"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    private static void copy(Path from, Path to, int n, Path masksFrom, Path masksTo) throws IOException {
        Files.createDirectories(to);
        if (masksTo != null) {
            Files.createDirectories(masksTo);
        }
        try (var s = Files.list(from)) {
            for (Path p : s.sorted().limit(n).toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
                if (masksFrom != null) {
                    String stem = p.getFileName().toString().replaceFirst("\\.[^.]+$", "");
                    Files.copy(masksFrom.resolve(stem + "_mask.png"), masksTo.resolve(stem + "_mask.png"));
                }
            }
        }
    }
}
