package dev.aand.testing;

import dev.aand.data.CookieSample;
import dev.aand.io.TempFolders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small MVTec-layout copy of the real cookie photos shipped in the library ({@link CookieSample}):
 * a few training images, a few good and cracked test images with their masks. Tests train on it
 * at tiny image sizes.
 */
public final class TinyCookie {
    private TinyCookie() {}

    /** The whole sample (31 train, 14 good, 32 cracked), extracted once per JVM. */
    public static synchronized Path full() {
        if (full == null) {
            try {
                full = CookieSample.extract(TempFolders.removedAtExit("aand-cookie-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return full;
    }

    private static Path full;

    public static Path create(Path root, int train, int good, int cracked) {
        Path src = full().resolve(CookieSample.CATEGORY);
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
