package dev.aand.testing;

import dev.aand.data.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reference fixtures copied into this module's test resources ({@code fixtures/}, with their
 * README, generator scripts and MANIFEST as provenance). Tests need nothing beside the project.
 */
public final class Fixtures {
    private Fixtures() {}

    /** A test-resource path of this module, as a file. */
    public static Path resource(String relative) {
        URL url = Fixtures.class.getResource("/" + relative);
        if (url == null || !"file".equals(url.getProtocol())) {
            throw new IllegalStateException("test resource not found as a file: " + relative + " (" + url + ")");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path fixture(String relative) {
        Path p = resource("fixtures").resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("fixture not found: " + p);
        }
        return p;
    }

    /**
     * Copies a fixture file into {@code dir} (keeping its file name) by stream, so it works from
     * another module, where the fixtures may sit inside aand-core's test jar.
     */
    public static Path copy(String relative, Path dir) {
        String name = relative.substring(relative.lastIndexOf('/') + 1);
        try (java.io.InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + relative)) {
            if (in == null) {
                throw new IllegalStateException("fixture not found on the test class path: " + relative);
            }
            Files.createDirectories(dir);
            Path target = dir.resolve(name);
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Npy.Array npy(String relative) {
        try {
            return Npy.read(fixture(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
