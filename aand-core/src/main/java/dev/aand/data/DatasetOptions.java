package dev.aand.data;

import java.nio.file.Path;

/**
 * How to open a dataset. {@code root} and {@code category} serve the benchmark layouts;
 * {@code normalDir}, {@code abnormalDir}, {@code maskDir} and {@code normalTestDir} (the last two
 * nullable) serve the "folder" layout, resolved against {@code root} when relative and a root is
 * given. {@code validationFraction} of the normal training images (in [0, 1)) is held back as
 * validation by a shuffle seeded with {@code seed}, where the layout has no validation split.
 */
public record DatasetOptions(Path root, String category, double validationFraction, long seed,
        Path normalDir, Path abnormalDir, Path maskDir, Path normalTestDir) {

    public DatasetOptions {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new DataException("validation fraction must be in [0, 1), got " + validationFraction);
        }
    }

    /** A benchmark layout (mvtec, mvtec3d, visa) without a validation hold-out. */
    public static DatasetOptions of(Path root, String category) {
        return new DatasetOptions(root, category, 0.0, 0L, null, null, null, null);
    }

    /** The "folder" layout; {@code maskDir} and {@code normalTestDir} may be null. */
    public static DatasetOptions folder(Path normalDir, Path abnormalDir, Path maskDir,
            Path normalTestDir) {
        return new DatasetOptions(null, null, 0.0, 0L, normalDir, abnormalDir, maskDir, normalTestDir);
    }

    public DatasetOptions withValidation(double fraction, long seed) {
        return new DatasetOptions(root, category, fraction, seed, normalDir, abnormalDir, maskDir,
                normalTestDir);
    }

    public DatasetOptions withCategory(String category) {
        return new DatasetOptions(root, category, validationFraction, seed, normalDir, abnormalDir,
                maskDir, normalTestDir);
    }
}
