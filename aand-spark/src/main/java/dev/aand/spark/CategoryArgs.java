package dev.aand.spark;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The dataset and categories of a multi-category job. */
final class CategoryArgs {
    @Option(names = "--dataset", defaultValue = "mvtec", description = "Layout: mvtec, mvtec3d or visa (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--root", required = true, description = "Dataset root: a path that is the same on every node.")
    Path root;

    @Option(names = "--categories", required = true, description = "Comma-separated categories, or all.")
    String categories;

    String root() {
        return root.toAbsolutePath().normalize().toString();
    }

    List<String> list() {
        return Categories.resolve(kind, root.toAbsolutePath(), categories);
    }
}
