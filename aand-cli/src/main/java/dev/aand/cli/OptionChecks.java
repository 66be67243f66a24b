package dev.aand.cli;

import dev.aand.config.AandConfig;
import dev.aand.nn.Precision;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Range checks of numeric options: a value outside gets one line naming the option and its range. */
final class OptionChecks {
    /** The largest --image-size without --allow-large: 1024 px already needs GBs per batch. */
    static final int MAX_IMAGE_SIZE = 1024;
    static final int MAX_BATCH_SIZE = 1024;

    private OptionChecks() {}

    static void range(CommandSpec spec, String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(), option + " must be between " + min + " and " + max
                    + " (got " + value + ")");
        }
    }

    static void batchSize(CommandSpec spec, int value) {
        range(spec, "--batch-size", value, 1, MAX_BATCH_SIZE);
    }

    static void finite(CommandSpec spec, String option, double value) {
        if (!Double.isFinite(value)) {
            throw new ParameterException(spec.commandLine(), option + " must be a finite number (got " + value + ")");
        }
    }

    /** A fraction in [0, 1). */
    static void fraction(CommandSpec spec, String option, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new ParameterException(spec.commandLine(), option + " must be at least 0 and below 1 (got "
                    + value + ")");
        }
    }

    static void imageSize(CommandSpec spec, int size, boolean allowLarge) {
        int max = allowLarge ? AandConfig.MAX_IMAGE_SIZE : MAX_IMAGE_SIZE;
        if (size < 32 || size > max || size % 32 != 0) {
            throw new ParameterException(spec.commandLine(), "--image-size must be a multiple of 32 between 32 and "
                    + max + " (got " + size + ")" + (allowLarge || size < MAX_IMAGE_SIZE ? ""
                            : "; sizes above " + MAX_IMAGE_SIZE + " need --allow-large"));
        }
    }

    /** {@code --precision}'s value, or null when it is not given; an unknown id is a one-line error. */
    static Precision precision(CommandSpec spec, String value) {
        try {
            return value == null ? null : Precision.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--precision: " + e.getMessage());
        }
    }
}
