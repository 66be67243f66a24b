package dev.aand.serve;

import dev.aand.data.AnomalyDataset;
import dev.aand.data.Sample;
import dev.aand.io.TempFolders;
import dev.aand.testing.TinyModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Two tiny cookie models (32 px, 1 + 1 epochs, seeds 0 and 1: different weights) trained once per
 * test JVM, and the cookie test photos to score.
 */
final class TinyModels {
    private static Path a;
    private static Path b;
    private static List<Path> images;

    private TinyModels() {}

    static synchronized void train() {
        if (images != null) {
            return;
        }
        // Nothing is recorded until both models exist, so a failed first attempt fails every test
        // with its own cause instead of leaving half-set fields behind.
        try {
            Path made = TempFolders.removedAtExit("aand-serve-test-");
            AnomalyDataset data = TinyModel.cookie(made, 3, 3);
            Path first = TinyModel.train(data, made.resolve("trained/a"), 0);
            Path second = TinyModel.train(data, made.resolve("trained/b"), 1);
            a = first;
            b = second;
            images = data.test().stream().map(Sample::image).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Model trained with seed 0. */
    static Path a() {
        train();
        return a;
    }

    /** Model trained with seed 1. */
    static Path b() {
        train();
        return b;
    }

    /** The cookie test photos (JPEG, 6 of them: 3 good, 3 cracked). */
    static List<Path> images() {
        train();
        return images;
    }

    /** Copies a model folder to {@code target} (a fresh folder). */
    static Path copy(Path model, Path target) {
        try {
            Files.createDirectories(target);
            try (Stream<Path> s = Files.list(model)) {
                for (Path f : s.toList()) {
                    Files.copy(f, target.resolve(f.getFileName()));
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
