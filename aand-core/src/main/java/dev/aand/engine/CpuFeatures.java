package dev.aand.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What the host CPU can do, from the kernel's {@code /proc/cpuinfo} flags (Linux). */
public final class CpuFeatures {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private CpuFeatures() {}

    /** The flags of the first CPU listed, or an empty set when they cannot be read. */
    public static Set<String> flags() {
        return flags(CPUINFO);
    }

    static Set<String> flags(Path cpuinfo) {
        try (var lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("flags"))
                    .findFirst()
                    .map(l -> Arrays.stream(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))
                            .map(s -> s.toLowerCase(Locale.ROOT))
                            .collect(Collectors.toUnmodifiableSet()))
                    .orElse(Set.of());
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    /** Whether the CPU computes bfloat16 natively (AVX512-BF16 or AMX-BF16 instructions). */
    public static boolean hasBfloat16(Set<String> flags) {
        return flags.contains("avx512_bf16") || flags.contains("amx_bf16");
    }
}
