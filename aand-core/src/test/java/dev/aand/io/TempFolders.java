package dev.aand.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Temporary folders shared by a test JVM's tests and removed, with their files, when it exits.
 * (A test helper in this package so that it removes them as outputs are removed, with
 * {@link OutputDir#deleteTree}.)
 */
public final class TempFolders {
    private TempFolders() {}

    /**
     * A new folder under the system temporary folder, removed at exit. {@code deleteOnExit} would
     * not do: it leaves a folder that still holds files.
     */
    public static Path removedAtExit(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                OutputDir.deleteTree(dir);
            } catch (IOException e) {
                System.err.println("could not remove " + dir + ": " + e.getMessage());
            }
        }));
        return dir;
    }
}
