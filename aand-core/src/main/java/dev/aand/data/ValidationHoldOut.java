package dev.aand.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Splits normal training images into train and validation by a seeded shuffle. java.util.Random's
 * sequence is fixed by its specification, so the same seed selects the same files everywhere.
 */
final class ValidationHoldOut {
    record Parts(List<Sample> train, List<Sample> validation) {}

    private ValidationHoldOut() {}

    /** {@code from} names the folder in error messages. */
    static Parts split(List<Sample> normals, double fraction, long seed, Path from) {
        if (fraction <= 0) {
            return new Parts(normals, List.of());
        }
        int n = normals.size();
        // At least one image once a hold-out is asked for; never all of them.
        int k = Math.max(1, (int) Math.round(fraction * n));
        if (k >= n) {
            throw new DataException("validation fraction " + fraction + " leaves no training images: "
                    + n + " normal image(s) in " + from);
        }
        List<Sample> shuffled = new ArrayList<>(normals);
        Collections.shuffle(shuffled, new Random(seed));
        Comparator<Sample> byName = Comparator.comparing(s -> s.image().toString());
        List<Sample> val = new ArrayList<>(shuffled.subList(0, k));
        List<Sample> train = new ArrayList<>(shuffled.subList(k, n));
        val.sort(byName);
        train.sort(byName);
        return new Parts(train, val);
    }
}
