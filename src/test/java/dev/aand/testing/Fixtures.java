package dev.aand.testing;

import dev.aand.data.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code ../shared} (the read-only reference material) from tests. */
public final class Fixtures {
    private Fixtures() {}

    public static Path shared() {
        String prop = System.getProperty("aand.shared");
        Path p = prop != null ? Path.of(prop) : Path.of("..", "shared");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("../shared not found at " + p.toAbsolutePath());
        }
        return p.toAbsolutePath().normalize();
    }

    public static Path fixture(String relative) {
        return shared().resolve("fixtures").resolve(relative);
    }

    public static Npy.Array npy(String relative) {
        try {
            return Npy.read(fixture(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
