package dev.aand.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * VisA layout: {@code ROOT/split_csv/1cls.csv} with columns object, split, label, image, mask
 * (paths relative to ROOT, label normal/anomaly). VisA has no defect types, so every anomaly is
 * typed "anomaly". Anomalous rows of the train split are not used (training is unsupervised).
 */
public final class VisaDataset {
    public static final String KIND = "visa";
    public static final String ANOMALY = "anomaly";
    private static final String[] COLUMNS = {"object", "split", "label", "image", "mask"};

    private VisaDataset() {}

    public static AnomalyDataset open(DatasetOptions opts) {
        Path root = ImageFiles.requireDir(opts.root(), "visa dataset root");
        Path csv = root.resolve("split_csv").resolve("1cls.csv");
        if (!Files.isRegularFile(csv)) {
            throw new DataException("visa split file not found: " + csv);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new DataException("visa split file is empty: " + csv);
        }
        int[] col = columns(lines.get(0), csv);
        String category = opts.category();
        TreeSet<String> objects = new TreeSet<>();
        List<Sample> normals = new ArrayList<>();
        List<Sample> test = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            String where = csv + " line " + (n + 1);
            List<String> f = fields(line);
            if (f.size() < COLUMNS.length) {
                throw new DataException(where + ": expected " + COLUMNS.length + " columns, got "
                        + f.size() + ": " + line);
            }
            String object = f.get(col[0]);
            objects.add(object);
            if (!object.equals(category)) {
                continue;
            }
            String split = f.get(col[1]).toLowerCase(Locale.ROOT);
            String label = f.get(col[2]).toLowerCase(Locale.ROOT);
            boolean anomalous = switch (label) {
                case "normal" -> false;
                case "anomaly" -> true;
                default -> throw new DataException(where + ": label must be normal or anomaly, got '"
                        + f.get(col[2]) + "'");
            };
            Path image = root.resolve(f.get(col[3]));
            if (!Files.isRegularFile(image)) {
                throw new DataException(where + ": image not found: " + image);
            }
            String maskField = f.get(col[4]);
            Path mask = maskField.isEmpty() ? null : root.resolve(maskField);
            if (mask != null && !Files.isRegularFile(mask)) {
                mask = null; // reported through missingMasks()
            }
            switch (split) {
                case "train" -> {
                    if (!anomalous) {
                        normals.add(Sample.normal(image));
                    }
                }
                case "test" -> test.add(anomalous ? Sample.anomalous(image, mask, ANOMALY)
                        : Sample.normal(image));
                default -> throw new DataException(where + ": split must be train or test, got '"
                        + f.get(col[1]) + "'");
            }
        }
        if (category == null || !objects.contains(category)) {
            throw new DataException("visa category '" + category + "' not in " + csv
                    + " (available: " + String.join(", ", objects) + ")");
        }
        Comparator<Sample> byPath = Comparator.comparing(s -> s.image().toString());
        normals.sort(byPath);
        test.sort(byPath);
        if (normals.isEmpty()) {
            throw new DataException("training split is empty: no normal train rows for '" + category
                    + "' in " + csv);
        }
        if (test.isEmpty()) {
            throw new DataException("test split is empty: no test rows for '" + category + "' in " + csv);
        }
        ValidationHoldOut.Parts parts = ValidationHoldOut.split(normals, opts.validationFraction(),
                opts.seed(), csv);
        return new ListedDataset(KIND, category, parts.train(), parts.validation(), test);
    }

    /** Column positions of object, split, label, image, mask, found by header name. */
    private static int[] columns(String header, Path csv) {
        List<String> names = fields(header).stream()
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
        int[] col = new int[COLUMNS.length];
        for (int i = 0; i < COLUMNS.length; i++) {
            col[i] = names.indexOf(COLUMNS[i]);
            if (col[i] < 0) {
                throw new DataException(csv + ": header lacks column '" + COLUMNS[i] + "' (has "
                        + String.join(",", names) + ")");
            }
        }
        return col;
    }

    /** Splits one CSV line; double-quoted fields may contain commas and doubled quotes. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString().trim());
        return out;
    }
}
