package dev.aand.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * The optional API key: {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}. Keys are
 * compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken says nothing
 * about how much of a guess was right, nor about the key's length.
 */
final class ApiKey {
    private static final long MAX_KEY_FILE_BYTES = 4096;
    private final byte[] digest;

    private ApiKey(String key) {
        this.digest = sha256(key);
    }

    /** The key in {@code file} (content trimmed); it must not be empty. */
    static ApiKey read(Path file) {
        try {
            if (Files.size(file) > MAX_KEY_FILE_BYTES) {
                throw new IllegalArgumentException("--api-key-file " + file + " is over " + MAX_KEY_FILE_BYTES
                        + " bytes; it should hold just the key");
            }
            String key = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("--api-key-file " + file + " is empty");
            }
            return new ApiKey(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --api-key-file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks a request's credentials.
     *
     * @param authorization the {@code Authorization} header or null
     * @param apiKeyHeader the {@code X-API-Key} header or null
     * @throws ApiError 401 when no key or a wrong one was given
     */
    void check(String authorization, String apiKeyHeader) {
        String given = apiKeyHeader;
        if (given == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = authorization.substring(7).trim();
        }
        if (given == null) {
            throw unauthorized("missing API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
        }
        if (!MessageDigest.isEqual(digest, sha256(given))) {
            throw unauthorized("wrong API key");
        }
    }

    private static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message, Map.of("WWW-Authenticate", "Bearer"));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
