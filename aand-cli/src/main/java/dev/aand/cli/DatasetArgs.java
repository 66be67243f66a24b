package dev.aand.cli;

import dev.aand.data.AnomalyDataset;
import dev.aand.data.DatasetOptions;
import dev.aand.data.Datasets;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options that name a dataset, shared by train and test. */
final class DatasetArgs {
    @Option(names = "--dataset", defaultValue = "mvtec",
            description = "Layout: mvtec, mvtec3d, visa or folder (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--root", description = "Dataset root directory (mvtec, mvtec3d, visa).")
    Path root;

    @Option(names = "--category", description = "Category (e.g. bottle); for folder: any name.")
    String category;

    @Option(names = "--normal-dir", description = "folder: normal training images.")
    Path normalDir;

    @Option(names = "--abnormal-dir", description = "folder: anomalous test images.")
    Path abnormalDir;

    @Option(names = "--mask-dir", description = "folder: masks matched by file name (optional).")
    Path maskDir;

    @Option(names = "--normal-test-dir", description = "folder: normal test images (optional).")
    Path normalTestDir;

    AnomalyDataset open(double validationFraction, long seed) {
        DatasetOptions opts;
        if ("folder".equals(kind)) {
            if (normalDir == null) {
                throw new IllegalArgumentException("--dataset folder needs --normal-dir");
            }
            opts = DatasetOptions.folder(normalDir, abnormalDir, maskDir, normalTestDir)
                    .withCategory(category == null ? normalDir.getFileName().toString() : category);
        } else {
            if (root == null || category == null) {
                throw new IllegalArgumentException("--dataset " + kind + " needs --root and --category");
            }
            opts = DatasetOptions.of(root, category);
        }
        return Datasets.open(kind, opts.withValidation(validationFraction, seed));
    }
}
