package dev.aand.spark;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score images on Spark: one row per image (path, model_version, score, threshold, anomalous, "
                + "peak_x, peak_y, anomalous_area, error) as Parquet or CSV.")
final class ScoreCommand implements Callable<Integer> {
    /** One single-threaded task per core: measured faster than one task on every core (README). */
    static final int TASK_CPUS = 1;

    @Option(names = "--model", required = true,
            description = "Model folder: a path every node sees, or the NAME of --archives model.zip#NAME.")
    String model;

    @Option(names = "--input", required = true, description = "Images: a folder (searched recursively) or a glob, "
            + "on any file system Spark reads; with --input-type parquet|table, a Parquet path or a table name.")
    String input;

    @Option(names = "--input-type", defaultValue = "images",
            description = "images, or parquet / table with a 'path' column (default: ${DEFAULT-VALUE}).")
    String inputType;

    @Option(names = "--output", required = true, description = "Output folder to create (any file system Spark writes).")
    String output;

    @Option(names = "--format", defaultValue = "parquet", description = "parquet or csv (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--batch-size", defaultValue = "8", description = "Images per engine batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--partitions", defaultValue = "0", description = "Scoring tasks (default: two per task slot).")
    int partitions;

    @Option(names = "--max-file-mib", defaultValue = "256", description = "Largest image file read (default: ${DEFAULT-VALUE}).")
    long maxFileMib;

    @Option(names = "--max-megapixels", defaultValue = "40", description = "Largest image decoded (default: ${DEFAULT-VALUE}).")
    double maxMegapixels;

    @Mixin
    SparkArgs spark = new SparkArgs();

    @Override
    public Integer call() {
        ImageBytes limits = new ImageBytes(Math.min(ImageBytes.MAX_FILE, maxFileMib << 20), (long) (maxMegapixels * 1e6));
        ScoreJob.Options o = new ScoreJob.Options(model, input, inputType, output, format, batchSize, partitions, limits);
        SparkSession session = spark.session("score", cores -> TASK_CPUS);
        ScoreJob.Outcome r = ScoreJob.run(session, o);
        System.out.printf(Locale.ROOT, "scored %d images (%d could not be read) in %.1f s: %s%n", r.images(), r.errors(),
                r.seconds(), output);
        return r.errors() == 0 ? 0 : 2;
    }
}
