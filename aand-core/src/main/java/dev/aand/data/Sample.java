package dev.aand.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One image of a dataset. {@code mask} is null for normal images and for anomalous images whose
 * ground truth is missing; {@code defectType} is "good" for normal images.
 */
public record Sample(Path image, Path mask, String defectType, boolean anomalous) {
    public static final String GOOD = "good";

    public Sample {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(defectType, "defectType");
    }

    public static Sample normal(Path image) {
        return new Sample(image, null, GOOD, false);
    }

    public static Sample anomalous(Path image, Path mask, String defectType) {
        return new Sample(image, mask, defectType, true);
    }

    public boolean hasMask() {
        return mask != null;
    }
}
