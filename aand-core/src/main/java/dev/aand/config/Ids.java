package dev.aand.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Choices that users name by a short id (methods, precisions, preprocessings). */
public final class Ids {
    private Ids() {}

    /**
     * The value whose id is {@code text} (case-insensitive, surrounding blanks ignored); otherwise an
     * IllegalArgumentException naming the text and every valid id.
     */
    public static <E> E parse(E[] values, Function<E, String> id, String text, String what) {
        String key = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (E v : values) {
            if (id.apply(v).equals(key)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + text + "'; valid: "
                + Arrays.stream(values).map(id).collect(Collectors.joining(", ")));
    }
}
