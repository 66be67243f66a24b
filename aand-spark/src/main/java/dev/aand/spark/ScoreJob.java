package dev.aand.spark;

import dev.aand.model.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Batch scoring on Spark: every image of the input gets exactly one output row (see
 * {@link ScoreRows}). Paths are spread over the tasks by a deterministic round-robin repartition,
 * each task scores its share through {@link PartitionScorer}, and the rows are committed by Spark's
 * output committer, so a retried task neither loses nor duplicates rows.
 */
public final class ScoreJob {
    private ScoreJob() {}

    /**
     * What to score and where to write it.
     *
     * @param model the model folder as executors see it (see {@link ModelFolders})
     * @param input the images: a folder, a glob, a Parquet path or a table name (see {@code inputType})
     * @param inputType how {@code input} is read: images, parquet or table
     * @param output the output folder (any Hadoop file system); it must not exist
     * @param format parquet or csv (with a header)
     * @param batchSize images per engine batch
     * @param partitions scoring tasks; 0 for two per task slot
     * @param limits the largest image file and pixel count read
     */
    public record Options(String model, String input, String inputType, String output, String format, int batchSize,
            int partitions, ImageBytes limits) {
        public Options {
            format = format.toLowerCase(Locale.ROOT);
            if (!format.equals("parquet") && !format.equals("csv")) {
                throw new IllegalArgumentException("unknown output format '" + format + "' (expected parquet or csv)");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            if (partitions < 0) {
                throw new IllegalArgumentException("partitions must be 0 (automatic) or more, got " + partitions);
            }
        }
    }

    /**
     * @param images rows written
     * @param errors rows with an error instead of a score
     * @param seconds wall time of the job, listing and writing included
     */
    public record Outcome(long images, long errors, double seconds) {}

    public static Outcome run(SparkSession spark, Options o) {
        long t0 = System.nanoTime();
        checkModel(spark, o.model());
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(o.output());
        SparkContext sc = spark.sparkContext();
        try {
            FileSystem fs = out.getFileSystem(sc.hadoopConfiguration());
            if (fs.exists(out)) {
                throw new IllegalArgumentException("output already exists: " + o.output() + " (choose a new folder)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check output " + o.output() + ": " + e.getMessage(), e);
        }
        Dataset<Row> paths = ScoreInput.parse(o.inputType()).paths(spark, o.input());
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no images found in " + o.input());
        }
        int partitions = o.partitions() > 0 ? o.partitions() : 2 * slots(sc);
        LongAccumulator scored = sc.longAccumulator("aand images scored");
        LongAccumulator failed = sc.longAccumulator("aand images failed");
        var conf = JavaSparkContext.fromSparkContext(sc).broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
        Dataset<Row> rows = paths.repartition(partitions).mapPartitions(
                new PartitionScorer(o.model(), o.batchSize(), o.limits(), conf, scored, failed),
                Encoders.row(ScoreRows.SCHEMA));
        var writer = rows.write().mode(SaveMode.ErrorIfExists).format(o.format());
        if (o.format().equals("csv")) {
            writer = writer.option("header", "true");
        }
        writer.save(o.output());
        return new Outcome(scored.value() + failed.value(), failed.value(), (System.nanoTime() - t0) / 1e9);
    }

    /** Task slots: cores over cores per task. */
    static int slots(SparkContext sc) {
        int cpus = Integer.parseInt(sc.getConf().get("spark.task.cpus", "1"));
        return Math.max(1, sc.defaultParallelism() / Math.max(1, cpus));
    }

    /**
     * A model the driver can see is checked here, so a wrong folder is one clear line before any
     * task starts; one only the executors will see (an archive on a cluster) is checked by them.
     */
    private static void checkModel(SparkSession spark, String ref) {
        Optional<java.nio.file.Path> found = ModelFolders.find(ref);
        if (found.isPresent()) {
            ModelStore.info(found.get());
        } else if (spark.sparkContext().isLocal()) {
            ModelFolders.require(ref);
        } else {
            System.err.println("note: model " + ref + " is not visible on the driver; the executors will look for it");
        }
    }
}
