package dev.aand.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * A one-line progress bar for long work. On a terminal it redraws in place; in a pipe or CI log
 * it prints about one line per 10% so logs stay short.
 */
final class ProgressBar {
    private static final int WIDTH = 28;
    private final PrintStream out;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private int lastLinePercent = -1;

    ProgressBar(PrintStream out) {
        this.out = out;
        this.interactive = System.console() != null;
    }

    /** Draws {@code done/total} with a label and trailing details. */
    void update(String label, int done, int total, String details) {
        int pct = total == 0 ? 100 : (int) (100L * done / total);
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double eta = done == 0 ? Double.NaN : elapsed * (total - done) / done;
        String line = String.format(Locale.ROOT, "%-14s [%s%s] %3d%% %s  %s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), pct, time(elapsed, eta), details);
        if (interactive) {
            out.print("\r" + line + (done >= total ? "\n" : ""));
            out.flush();
        } else if (done >= total || pct / 10 != lastLinePercent / 10) {
            // Non-interactive: roughly one line per 10% keeps CI logs readable.
            out.println(line);
            lastLinePercent = pct;
        }
    }

    private static String time(double elapsed, double eta) {
        return Double.isNaN(eta) ? fmt(elapsed) : fmt(elapsed) + "<" + fmt(eta);
    }

    private static String fmt(double s) {
        long t = Math.round(s);
        return String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    }

    static String terms(Map<String, Double> losses) {
        StringBuilder sb = new StringBuilder();
        losses.forEach((k, v) -> sb.append(k).append('=').append(String.format(Locale.ROOT, "%.4f", v)).append(' '));
        return sb.toString().trim();
    }
}
