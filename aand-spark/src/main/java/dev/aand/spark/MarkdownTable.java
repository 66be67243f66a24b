package dev.aand.spark;

import java.util.List;

/** A GitHub-flavoured markdown table; the first column is left-aligned, the others right-aligned. */
final class MarkdownTable {
    private MarkdownTable() {}

    static String of(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        line(sb, header);
        sb.append("| ---");
        sb.append(" | ---:".repeat(header.size() - 1)).append(" |\n");
        rows.forEach(r -> line(sb, r));
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells) {
        sb.append("| ");
        sb.append(String.join(" | ", cells.stream().map(c -> c == null ? "" : c.replace("|", "\\|").replace('\n', ' ')).toList()));
        sb.append(" |\n");
    }
}
