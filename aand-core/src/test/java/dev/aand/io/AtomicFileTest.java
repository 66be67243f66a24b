package dev.aand.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheFileWholeAndLeavesNoTemporary() throws IOException {
        Path f = dir.resolve("w.bin");
        AtomicFile.write(f, new byte[] {1, 2});
        AtomicFile.write(f, new byte[] {3});
        assertArrayEquals(new byte[] {3}, Files.readAllBytes(f));
        assertEquals(List.of("w.bin"), names());
    }

    @Test
    void theNewBytesReachTheDeviceBeforeTheRenameAndTheFolderAfter() throws Exception {
        Path f = dir.resolve("w.bin").toAbsolutePath();
        List<String> steps = new java.util.ArrayList<>();
        try (AutoCloseable r = Disk.recordInto(steps::add)) {
            AtomicFile.write(f, new byte[] {1});
        }
        assertEquals(3, steps.size(), steps.toString());
        String tmp = steps.get(0).substring("flush ".length());
        assertTrue(steps.get(0).startsWith("flush " + dir.toAbsolutePath().resolve(".w.bin" + AtomicFile.TMP)),
                steps.toString());
        assertEquals("rename " + tmp + " -> " + f, steps.get(1));
        assertEquals("flush " + f.getParent(), steps.get(2));
    }

    @Test
    void aFailedWriteKeepsTheOldFile() throws IOException {
        Path f = dir.resolve("w.bin");
        AtomicFile.write(f, new byte[] {1});
        assertThrows(IOException.class, () -> AtomicFile.write(f, out -> {
            out.write(9);
            throw new IOException("disk full");
        }));
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(f));
        assertEquals(List.of("w.bin"), names());
    }

    @Test
    void temporariesOfDeadProcessesAreRemovedOthersKept() throws IOException {
        long dead = deadPid();
        Path stale = Files.writeString(dir.resolve(".w.bin" + AtomicFile.TMP + dead + "-1"), "half");
        Path live = Files.writeString(dir.resolve(".w.bin" + AtomicFile.TMP + ProcessHandle.current().pid() + "-999"),
                "being written");
        AtomicFile.write(dir.resolve("w.bin"), new byte[] {1});
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(live), "a running process's temporary stays");
    }

    private static long deadPid() {
        for (long pid = 4_000_000; pid > 1000; pid -= 7919) {
            if (ProcessHandle.of(pid).isEmpty()) {
                return pid;
            }
        }
        throw new IllegalStateException("no free pid found");
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
