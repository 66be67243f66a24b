package dev.aand.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * The two steps that make a written file survive a crash or a power cut: flushing it (and the
 * folder that names it) to the device, and renaming it into place. Every writer of outputs and
 * checkpoints goes through here, so that tests can check the order: the new bytes are flushed
 * before the rename that publishes them, and the folder after it.
 */
public final class Disk {
    private static volatile Consumer<String> journal;

    private Disk() {}

    /**
     * Flushes a file or folder to the device. Folders matter too: a rename is only durable once
     * its folder is. Some platforms cannot open folders; there the rename's durability is the
     * file system's.
     */
    public static void flush(Path p) throws IOException {
        boolean dir = Files.isDirectory(p);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (!dir) {
                throw e;
            }
        }
        note("flush " + p);
    }

    /** Renames within one folder, atomically where the file system can, replacing a file there. */
    public static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        note("rename " + from + " -> " + to);
    }

    /**
     * For tests: until the returned handle is closed, every flush and rename of this JVM, on any
     * thread, is reported to {@code sink} as {@code "flush PATH"} or {@code "rename FROM -> TO"}.
     */
    public static AutoCloseable recordInto(Consumer<String> sink) {
        journal = sink;
        return () -> journal = null;
    }

    private static void note(String step) {
        Consumer<String> j = journal;
        if (j != null) {
            j.accept(step);
        }
    }
}
