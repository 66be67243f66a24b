package dev.aand.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests as lower-case hex, the form model.json stores. */
public final class Sha256 {
    private Sha256() {}

    /** The digest of a file's bytes. */
    public static String of(Path file) {
        MessageDigest md = digest();
        update(md, file);
        return HexFormat.of().formatHex(md.digest());
    }

    /** Feeds a file's bytes to {@code md} (for a digest over several files). */
    public static void update(MessageDigest md, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " to compute its SHA-256: " + e.getMessage(), e);
        }
    }

    /** The digest of a text's UTF-8 bytes. */
    public static String ofText(String text) {
        return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code s} looks like a digest this class produces (64 lower-case hex digits). */
    public static boolean isDigest(String s) {
        return s != null && s.matches("[0-9a-f]{64}");
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
