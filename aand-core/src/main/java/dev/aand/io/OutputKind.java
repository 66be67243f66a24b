package dev.aand.io;

import java.util.Locale;

/** What an output folder holds; its marker names it so that a later run recognises its own work. */
public enum OutputKind {
    MODEL, REPORT, PREDICTIONS;

    /** The name written into the marker file, e.g. "model". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind named {@code id}, or null when no kind has that name. */
    static OutputKind byId(String id) {
        for (OutputKind k : values()) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        return null;
    }
}
