package dev.aand.spark;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Evaluate one model per category on Spark: every category's report plus summary.parquet, "
                + "summary.csv and summary.md (image AUROC, pixel AUROC, AUPRO and their mean).")
final class SparkTestCommand implements Callable<Integer> {
    @Mixin
    CategoryArgs data = new CategoryArgs();

    @Option(names = "--models", required = true, description = "Folder of model folders (MODELS/CATEGORY), as 'aand spark train' writes.")
    Path models;

    @Option(names = "--out", required = true, description = "Report folder: a path that is the same on every node.")
    Path out;

    @Option(names = "--save-maps", description = "Also save every raw anomaly map as float32 .npy.")
    boolean saveMaps;

    @Option(names = "--batch-size", defaultValue = "8") int batchSize;

    @Option(names = "--force", description = "Replace the reports of these categories and the summary.")
    boolean force;

    @Mixin
    SparkArgs spark = new SparkArgs();

    @Override
    public Integer call() {
        TestJob.Options o = new TestJob.Options(data.kind, data.root(), data.list(),
                models.toAbsolutePath().normalize().toString(), out.toAbsolutePath().normalize().toString(), batchSize,
                saveMaps);
        List<TestJob.Result> results = TestJob.run(spark.session("test", cores -> cores), o, force);
        System.out.print(TestJob.markdown(results));
        System.out.println("summary: " + out.toAbsolutePath().resolve("summary.md"));
        return results.stream().anyMatch(r -> r.status().equals("failed")) ? 2 : 0;
    }
}
