package dev.aand.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * MVTec 3D-AD layout, RGB only: {@code CATEGORY/{train,validation,test}/<type>/rgb/*.png} with
 * masks at {@code <type>/gt/<same name>}; the xyz point clouds are ignored. The dataset's own
 * validation split is used; only when that folder is absent is a seeded fraction of train held out.
 */
public final class Mvtec3dDataset {
    public static final String KIND = "mvtec3d";

    private Mvtec3dDataset() {}

    public static AnomalyDataset open(DatasetOptions opts) {
        Path cat = ImageFiles.categoryDir(opts, KIND);
        Path trainDir = ImageFiles.requireDir(cat.resolve("train"), "training folder");
        Path trainRgb = ImageFiles.requireDir(trainDir.resolve(Sample.GOOD).resolve("rgb"),
                "training rgb folder");
        List<Sample> train = ImageFiles.listNonEmpty(trainRgb, "training split").stream()
                .map(Sample::normal).toList();

        List<Sample> validation;
        Path valDir = cat.resolve("validation");
        if (Files.isDirectory(valDir)) {
            Path valRgb = ImageFiles.requireDir(valDir.resolve(Sample.GOOD).resolve("rgb"),
                    "validation rgb folder");
            validation = ImageFiles.listNonEmpty(valRgb, "validation split").stream()
                    .map(Sample::normal).toList();
        } else {
            ValidationHoldOut.Parts parts = ValidationHoldOut.split(train, opts.validationFraction(),
                    opts.seed(), trainRgb);
            train = parts.train();
            validation = parts.validation();
        }

        Path testDir = ImageFiles.requireDir(cat.resolve("test"), "test folder");
        List<Sample> test = new ArrayList<>();
        for (Path typeDir : ImageFiles.subdirs(testDir)) {
            String type = typeDir.getFileName().toString();
            Path rgb = typeDir.resolve("rgb");
            if (!Files.isDirectory(rgb)) {
                throw new DataException("test folder " + typeDir + " has no rgb/ sub-folder");
            }
            for (Path img : ImageFiles.list(rgb)) {
                if (type.equals(Sample.GOOD)) {
                    test.add(Sample.normal(img));
                } else {
                    Path gt = typeDir.resolve("gt").resolve(ImageFiles.stem(img) + ".png");
                    test.add(Sample.anomalous(img, Files.isRegularFile(gt) ? gt : null, type));
                }
            }
        }
        if (test.isEmpty()) {
            throw new DataException("test split is empty: no images in any */rgb folder of " + testDir);
        }
        return new ListedDataset(KIND, opts.category(), train, validation, test);
    }
}
