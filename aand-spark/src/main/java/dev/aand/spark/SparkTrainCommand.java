package dev.aand.spark;

import dev.aand.cli.TrainCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train one model per category on Spark, one task each, into OUT/CATEGORY.")
final class SparkTrainCommand implements Callable<Integer> {
    @Mixin
    CategoryArgs data = new CategoryArgs();

    @Option(names = "--out", required = true, description = "Folder of model folders: a path that is the same on every node.")
    Path out;

    @Option(names = "--force", description = "Retrain categories whose model already exists.")
    boolean force;

    @Mixin
    TrainCommand.HyperParameters hp = new TrainCommand.HyperParameters();

    @Mixin
    SparkArgs spark = new SparkArgs();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        hp.check(spec);
        TrainJob.Options o = new TrainJob.Options(data.kind, data.root(), data.list(),
                out.toAbsolutePath().normalize().toString(), hp.toConfig().toJson(), force);
        // One category per executor (locally: at a time) on all of its cores; training is memory-hungry.
        List<TrainJob.Result> results = TrainJob.run(spark.session("train", cores -> cores), o);
        System.out.print(TrainJob.table(results));
        return results.stream().anyMatch(r -> r.status().equals("failed")) ? 2 : 0;
    }
}
