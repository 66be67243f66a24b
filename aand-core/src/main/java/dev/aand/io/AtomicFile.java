package dev.aand.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replaces one file atomically: the bytes go to a hidden sibling named
 * {@code .NAME.aand-tmp-PID-N}, are flushed to disk, and the sibling is renamed over the file. A
 * reader sees the old file or the new one, never a mix; a crash leaves at most the sibling, which
 * the next write of the same file removes once its process is gone. Permissions follow the umask.
 */
public final class AtomicFile {
    static final String TMP = ".aand-tmp-";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** Writes the content of a file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {}

    public static void write(Path file, Content content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        String name = target.getFileName().toString();
        removeStale(dir, name);
        Path tmp = dir.resolve(temporaryName(name));
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16)) {
                content.writeTo(out);
            }
            Disk.flush(tmp);
            Disk.rename(tmp, target);
            Disk.flush(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, out -> out.write(bytes));
    }

    /** A fresh hidden sibling name for {@code name}, owned by this process. */
    static String temporaryName(String name) {
        return "." + name + TMP + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
    }

    /** The process id inside a name made by {@link #temporaryName}, or -1. */
    static long ownerPid(String entry, String name) {
        String prefix = "." + name + TMP;
        if (!entry.startsWith(prefix)) {
            return -1;
        }
        String rest = entry.substring(prefix.length());
        int dash = rest.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Deletes temporaries of {@code name} left by processes that no longer run. */
    private static void removeStale(Path dir, String name) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir,
                q -> q.getFileName().toString().startsWith("." + name + TMP))) {
            for (Path p : s) {
                long pid = ownerPid(p.getFileName().toString(), name);
                if (pid > 0 && ProcessHandle.of(pid).isEmpty() && Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
