package dev.aand.spark;

import dev.aand.model.ModelStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A model folder's version: the SHA-256 of its weights file, so two folders holding the same
 * weights are the same version and a retrained model in the same place is a new one. Every output
 * row carries it.
 */
final class ModelVersion {
    private ModelVersion() {}

    /** The hex SHA-256 of {@code dir/weights.safetensors}. */
    static String of(Path dir) {
        // One place to swap for the digest that model.json will record once ModelStore writes it.
        Path weights = dir.resolve(ModelStore.WEIGHTS);
        try (InputStream in = Files.newInputStream(weights)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + weights + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
