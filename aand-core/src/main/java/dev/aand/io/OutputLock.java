package dev.aand.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One writer per output path: an OS lock on the hidden sibling {@code .NAME.aand-lock}, which the
 * OS releases even when the process is killed. The holding thread may take it again (the CLI holds
 * it for a whole training run and the model save takes it once more); anyone else is refused at
 * once, with the holder's process id. The file is removed on release.
 */
final class OutputLock implements AutoCloseable {
    static final String SUFFIX = ".aand-lock";
    private static final Map<Path, OutputLock> HELD = new HashMap<>();

    private final Path target;
    private final Path file;
    private final Thread owner = Thread.currentThread();
    private FileChannel channel;
    private FileLock lock;
    private int holds;

    private OutputLock(Path target) {
        this.target = target;
        this.file = target.resolveSibling("." + target.getFileName() + SUFFIX);
    }

    /** Takes the lock on {@code target} (an absolute, normalised path) or refuses with one line. */
    static OutputLock acquire(Path target) {
        synchronized (HELD) {
            OutputLock held = HELD.get(target);
            if (held != null) {
                if (held.owner != Thread.currentThread()) {
                    throw busy(target, "another thread of this process");
                }
                held.holds++;
                return held;
            }
            OutputLock l = new OutputLock(target);
            l.lockFile();
            l.holds = 1;
            HELD.put(target, l);
            return l;
        }
    }

    /** Whether this is the outermost hold (only that one may tidy up after earlier runs). */
    boolean outermost() {
        return holds == 1;
    }

    private void lockFile() {
        try {
            // A releasing holder deletes the file; whoever locked the deleted file retries.
            for (int attempt = 0; attempt < 10; attempt++) {
                Object before = key(file);
                FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileLock fl;
                try {
                    fl = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    fl = null;
                }
                if (fl == null) {
                    String holder = holderOf(ch);
                    ch.close();
                    throw busy(target, holder);
                }
                Object after = key(file);
                if (after != null && Objects.equals(before, after)) {
                    ch.truncate(0);
                    ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n")
                            .getBytes(StandardCharsets.US_ASCII)), 0);
                    channel = ch;
                    lock = fl;
                    return;
                }
                fl.release();
                ch.close();
            }
            throw new IllegalStateException("could not lock " + file + ": it keeps being replaced");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the lock file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Object key(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String holderOf(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(64);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            return s.isEmpty() ? "another process" : "another process (" + s + ")";
        } catch (IOException e) {
            return "another process";
        }
    }

    private static IllegalStateException busy(Path target, String holder) {
        return new IllegalStateException(target + " is being written by " + holder
                + "; wait for that run to finish or choose another output folder");
    }

    @Override
    public void close() {
        synchronized (HELD) {
            if (holds == 0 || --holds > 0) {
                return;
            }
            HELD.remove(target);
            try {
                Files.deleteIfExists(file);
                lock.release();
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot release the lock file " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
