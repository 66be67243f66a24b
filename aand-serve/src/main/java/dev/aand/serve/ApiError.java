package dev.aand.serve;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the service refuses, with its HTTP status, a stable machine-readable code and one line
 * naming the problem; rendered as {@code {"status":..,"error":..,"message":..}}.
 */
final class ApiError extends RuntimeException {
    final int status;
    final String code;
    final Map<String, String> headers;

    ApiError(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = headers;
    }

    ApiError(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    Map<String, Object> body() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("status", status);
        b.put("error", code);
        b.put("message", getMessage());
        return b;
    }
}
