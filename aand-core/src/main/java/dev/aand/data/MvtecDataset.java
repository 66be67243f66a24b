package dev.aand.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * MVTec AD layout: {@code ROOT/CATEGORY/train/good/*}, {@code test/<defect>/*} ("good" = normal)
 * and {@code ground_truth/<defect>/<stem>_mask.png}.
 */
public final class MvtecDataset {
    public static final String KIND = "mvtec";

    private MvtecDataset() {}

    public static AnomalyDataset open(DatasetOptions opts) {
        Path cat = ImageFiles.categoryDir(opts, KIND);
        Path trainDir = ImageFiles.requireDir(cat.resolve("train").resolve(Sample.GOOD),
                "training folder");
        List<Sample> normals = ImageFiles.listNonEmpty(trainDir, "training split").stream()
                .map(Sample::normal).toList();
        ValidationHoldOut.Parts parts = ValidationHoldOut.split(normals, opts.validationFraction(),
                opts.seed(), trainDir);

        Path testDir = ImageFiles.requireDir(cat.resolve("test"), "test folder");
        Path gtDir = cat.resolve("ground_truth");
        List<Sample> test = new ArrayList<>();
        for (Path defectDir : ImageFiles.subdirs(testDir)) {
            String defect = defectDir.getFileName().toString();
            for (Path img : ImageFiles.list(defectDir)) {
                test.add(defect.equals(Sample.GOOD) ? Sample.normal(img)
                        : Sample.anomalous(img, findMask(gtDir.resolve(defect), img), defect));
            }
        }
        if (test.isEmpty()) {
            throw new DataException("test split is empty: no images in any defect folder of " + testDir);
        }
        return new ListedDataset(KIND, opts.category(), parts.train(), parts.validation(), test);
    }

    /** {@code <stem>_mask.png} as MVTec names it; a plain {@code <stem>.png} is accepted too. */
    static Path findMask(Path dir, Path image) {
        String stem = ImageFiles.stem(image);
        for (String name : new String[] {stem + "_mask.png", stem + ".png"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
