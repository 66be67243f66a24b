package dev.aand.engine;

import java.util.Map;
import java.util.Optional;

/**
 * Whether this process can train byte-identical models from the same seed. libtorch's MKL chooses
 * its code path and thread count per call unless its reproducible mode is on; measured on a 2-core
 * machine, about one tiny training run in four then came out different. The mode is set only by
 * environment variables read when libtorch starts, so a library can only check them: {@code ./aand}
 * and the test build set them.
 */
public final class Reproducibility {
    /** The settings that make MKL reproducible. */
    public static final Map<String, String> MKL_SETTINGS = Map.of("MKL_CBWR", "AUTO,STRICT", "MKL_DYNAMIC", "FALSE");

    private Reproducibility() {}

    /** A one-line note when the environment lacks the settings; empty when they are in place. */
    public static Optional<String> warning() {
        return warning(System.getenv());
    }

    static Optional<String> warning(Map<String, String> env) {
        boolean strict = env.getOrDefault("MKL_CBWR", "").toUpperCase(java.util.Locale.ROOT).contains("STRICT");
        boolean fixed = "FALSE".equalsIgnoreCase(env.getOrDefault("MKL_DYNAMIC", ""));
        if (strict && fixed) {
            return Optional.empty();
        }
        return Optional.of("note: MKL_CBWR=AUTO,STRICT and MKL_DYNAMIC=FALSE are not both set in the environment,"
                + " so the same seed may give a slightly different model (./aand sets them)");
    }
}
