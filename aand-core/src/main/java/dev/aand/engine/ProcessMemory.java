package dev.aand.engine;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The process's memory as the kernel sees it (Linux {@code /proc/self}), covering the JVM and
 * libtorch alike: resident and peak resident size, anonymous memory, minor page faults (each one
 * is a page the allocator took fresh from the kernel, so their count per step shows whether freed
 * memory is being reused) and the Java heap. Values are -1 where the file is unavailable.
 */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path STAT = Path.of("/proc/self/stat");
    private static final Path ROLLUP = Path.of("/proc/self/smaps_rollup");
    private static final Path MAPS = Path.of("/proc/self/maps");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ProcessMemory() {}

    /**
     * One reading.
     *
     * @param rssBytes resident set size now
     * @param peakRssBytes highest resident set size since start or the last {@link #resetPeak()}
     * @param anonymousBytes resident anonymous memory (heaps, tensors; not mapped files)
     * @param minorFaults minor page faults since start
     * @param heapUsedBytes Java heap in use
     * @param heapCommittedBytes Java heap reserved from the system
     */
    public record Snapshot(long rssBytes, long peakRssBytes, long anonymousBytes, long minorFaults,
            long heapUsedBytes, long heapCommittedBytes) {

        /** As a JSON-friendly map with sizes in MiB. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rss_mib", mib(rssBytes));
            m.put("peak_rss_mib", mib(peakRssBytes));
            m.put("anonymous_mib", mib(anonymousBytes));
            m.put("minor_faults", minorFaults);
            m.put("java_heap_used_mib", mib(heapUsedBytes));
            m.put("java_heap_committed_mib", mib(heapCommittedBytes));
            return m;
        }
    }

    public static Snapshot now() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new Snapshot(statusKb("VmRSS:") * 1024, statusKb("VmHWM:") * 1024,
                kb(ROLLUP, "Anonymous:") * 1024, minorFaults(), heap.getUsed(), heap.getCommitted());
    }

    /** Peak resident size (VmHWM) in bytes; -1 when unknown. */
    public static long peakRss() {
        long kb = statusKb("VmHWM:");
        return kb < 0 ? -1 : kb * 1024;
    }

    /** Resets the kernel's peak resident size to the current one, so a later peak covers only what follows. */
    public static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Minor page faults of the process so far (field 10 of /proc/self/stat); -1 when unknown. */
    public static long minorFaults() {
        try {
            String s = Files.readString(STAT);
            // The command name (field 2) may contain spaces; fields after its ')' are plain.
            String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split("\\s+");
            return Long.parseLong(f[7]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The malloc implementation in this process: "jemalloc", "mimalloc" or "tcmalloc" when one is
     * mapped (preloaded), else "glibc".
     */
    public static String allocator() {
        try (var lines = Files.lines(MAPS)) {
            return lines.map(l -> l.contains("libjemalloc") ? "jemalloc" : l.contains("libmimalloc") ? "mimalloc"
                            : l.contains("libtcmalloc") ? "tcmalloc" : null)
                    .filter(java.util.Objects::nonNull).findFirst().orElse("glibc");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    public static double mib(long bytes) {
        return bytes < 0 ? -1 : Math.round(bytes / 1048576.0 * 10) / 10.0;
    }

    private static long statusKb(String key) {
        return kb(STATUS, key);
    }

    private static long kb(Path file, String key) {
        try (var lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> Long.parseLong(l.substring(key.length()).replace("kB", "").trim())).orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
