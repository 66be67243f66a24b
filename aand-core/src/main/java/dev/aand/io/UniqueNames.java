package dev.aand.io;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Hands out file names that never repeat within one output, deterministically: the first claim of
 * a name gets it unchanged, later claims get "~2", "~3" before the extension. Names are compared
 * case-insensitively, because the output may be copied to a case-insensitive file system.
 */
public final class UniqueNames {
    private final Set<String> taken = new HashSet<>();

    /** {@code wanted}, or a variant of it that no earlier call returned. */
    public synchronized String claim(String wanted) {
        String name = wanted;
        int dot = wanted.lastIndexOf('.');
        int slash = wanted.lastIndexOf('/');
        String stem = dot > slash + 1 ? wanted.substring(0, dot) : wanted;
        String ext = dot > slash + 1 ? wanted.substring(dot) : "";
        for (int n = 2; !taken.add(name.toLowerCase(Locale.ROOT)); n++) {
            name = stem + "~" + n + ext;
        }
        return name;
    }
}
