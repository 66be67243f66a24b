package dev.aand.data;

import java.util.List;

/**
 * A benchmark category: normal training images, optional normal validation images, and a test set
 * of normal and anomalous images. Lists are immutable and in a fixed (name-sorted) order.
 */
public interface AnomalyDataset {
    /** The layout kind: "mvtec", "mvtec3d", "visa" or "folder". */
    String name();

    String category();

    List<Sample> train();

    List<Sample> validation();

    List<Sample> test();

    default List<Sample> split(Split split) {
        return switch (split) {
            case TRAIN -> train();
            case VALIDATION -> validation();
            case TEST -> test();
        };
    }

    /** Anomalous test images without a ground-truth mask: pixel metrics must skip them. */
    default List<Sample> missingMasks() {
        return test().stream().filter(s -> s.anomalous() && s.mask() == null).toList();
    }
}
