package dev.aand.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's own folders: normal images (train), abnormal images (test), optional masks matched by
 * file stem ({@code name.png} or {@code name_mask.png}) and optional normal test images.
 */
public final class FolderDataset {
    public static final String KIND = "folder";
    private static final String MASK_SUFFIX = "_mask";

    private FolderDataset() {}

    public static AnomalyDataset open(DatasetOptions opts) {
        Path normalDir = ImageFiles.requireDir(resolve(opts, opts.normalDir()), "normal image folder");
        Path abnormalDir = ImageFiles.requireDir(resolve(opts, opts.abnormalDir()),
                "abnormal image folder");
        Path maskDir = resolve(opts, opts.maskDir());
        Map<String, Path> masks = maskDir == null ? Map.of()
                : masksByStem(ImageFiles.requireDir(maskDir, "mask folder"));
        Path normalTestDir = resolve(opts, opts.normalTestDir());

        List<Sample> normals = ImageFiles.listNonEmpty(normalDir, "normal (training) folder").stream()
                .map(Sample::normal).toList();
        ValidationHoldOut.Parts parts = ValidationHoldOut.split(normals, opts.validationFraction(),
                opts.seed(), normalDir);

        List<Sample> test = new ArrayList<>();
        if (normalTestDir != null) {
            ImageFiles.requireDir(normalTestDir, "normal test folder");
            ImageFiles.list(normalTestDir).forEach(p -> test.add(Sample.normal(p)));
        }
        for (Path img : ImageFiles.listNonEmpty(abnormalDir, "abnormal (test) folder")) {
            test.add(Sample.anomalous(img, masks.get(ImageFiles.stem(img)), "anomaly"));
        }
        String category = opts.category() != null ? opts.category()
                : normalDir.toAbsolutePath().normalize().getFileName().toString();
        return new ListedDataset(KIND, category, parts.train(), parts.validation(), test);
    }

    private static Path resolve(DatasetOptions opts, Path p) {
        if (p == null || p.isAbsolute() || opts.root() == null) {
            return p;
        }
        return opts.root().resolve(p);
    }

    /** Masks keyed by image stem; {@code name.png} wins over {@code name_mask.png}. */
    private static Map<String, Path> masksByStem(Path dir) {
        Map<String, Path> exact = new HashMap<>();
        Map<String, Path> suffixed = new HashMap<>();
        for (Path p : ImageFiles.list(dir)) {
            String stem = ImageFiles.stem(p);
            if (stem.endsWith(MASK_SUFFIX)) {
                suffixed.putIfAbsent(stem.substring(0, stem.length() - MASK_SUFFIX.length()), p);
            }
            exact.putIfAbsent(stem, p);
        }
        Map<String, Path> out = new HashMap<>(suffixed);
        out.putAll(exact);
        return out;
    }
}
