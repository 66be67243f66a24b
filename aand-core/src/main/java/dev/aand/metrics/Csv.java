package dev.aand.metrics;

/** RFC 4180 quoting for the few CSV files we write. */
public final class Csv {
    private Csv() {}

    public static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
