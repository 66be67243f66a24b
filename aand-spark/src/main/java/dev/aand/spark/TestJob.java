package dev.aand.spark;

import dev.aand.cli.Main;
import dev.aand.cli.TestCommand;
import dev.aand.data.DatasetOptions;
import dev.aand.data.Datasets;
import dev.aand.io.AtomicFile;
import dev.aand.metrics.Csv;
import dev.aand.metrics.Evaluation;
import dev.aand.model.ModelStore;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Evaluates one model per category, one Spark task each: every category gets the report
 * {@code aand test} writes ({@code OUT/CATEGORY/metrics.json}, {@code scores.csv},
 * {@code index.html}), and the driver writes the summary ({@code summary.parquet},
 * {@code summary.csv}, {@code summary.md}: image AUROC, pixel AUROC and AUPRO per category and
 * their mean, laid out like the paper's Table II). A failing category is reported and the others go on.
 */
public final class TestJob {
    private TestJob() {}

    /**
     * @param dataset layout: mvtec, mvtec3d or visa
     * @param root dataset root, the same path on every node
     * @param categories categories to evaluate
     * @param models folder of model folders ({@code MODELS/CATEGORY})
     * @param out report folder, the same path on every node
     */
    public record Options(String dataset, String root, List<String> categories, String models, String out,
            int batchSize, boolean saveMaps) implements Serializable {}

    /**
     * One category's metrics (NaN where undefined or failed).
     *
     * @param status ok, failed, or mean for the mean row
     */
    public record Result(String category, String status, double imageAuroc, double pixelAuroc, double aupro,
            double imageF1Max, int nImages, int nAnomalous, double seconds, String error) implements Serializable {

        static Result failed(String category, double seconds, String error) {
            return new Result(category, "failed", Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, seconds, error);
        }
    }

    static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("category", DataTypes.StringType, false),
        DataTypes.createStructField("status", DataTypes.StringType, false),
        DataTypes.createStructField("image_auroc", DataTypes.DoubleType, true),
        DataTypes.createStructField("pixel_auroc", DataTypes.DoubleType, true),
        DataTypes.createStructField("pixel_aupro", DataTypes.DoubleType, true),
        DataTypes.createStructField("image_f1_max", DataTypes.DoubleType, true),
        DataTypes.createStructField("n_images", DataTypes.IntegerType, false),
        DataTypes.createStructField("n_anomalous", DataTypes.IntegerType, false),
        DataTypes.createStructField("seconds", DataTypes.DoubleType, false),
        DataTypes.createStructField("error", DataTypes.StringType, true),
    });

    /** Evaluates every category and writes the summary; returns the rows, the mean last. */
    public static List<Result> run(SparkSession spark, Options o, boolean force) {
        Path out = Path.of(o.out());
        List<String> ours = new ArrayList<>(o.categories());
        ours.addAll(List.of("summary.parquet", "summary.csv", "summary.md"));
        for (String name : ours) {
            if (Files.exists(out.resolve(name)) && !force) {
                throw new IllegalArgumentException(out.resolve(name) + " exists (use --force to replace it)");
            }
        }
        List<Result> results = new ArrayList<>(CategoryJobs.each(spark, o.categories(), c -> testOne(o, c)));
        results.sort(Comparator.comparingInt(r -> o.categories().indexOf(r.category())));
        results.add(mean(results));
        write(spark, results, out);
        return results;
    }

    private static Result testOne(Options o, String category) {
        long t0 = System.nanoTime();
        Path model = Path.of(o.models()).resolve(category);
        try {
            if (!TrainJob.isModel(model)) {
                return Result.failed(category, 0, "no model at " + model);
            }
            var data = Datasets.open(o.dataset(), DatasetOptions.of(Path.of(o.root()), category));
            // run() checked --force for every report folder; OutputDir still refuses one aand did not write.
            Evaluation.Summary s = TestCommand.run(model, () -> data, Path.of(o.out()).resolve(category),
                    new TestCommand.Settings(true, o.saveMaps(), o.batchSize(), ModelStore.LoadOptions.STRICT, null)).overall();
            return new Result(category, "ok", s.imageAuroc(), s.pixelAuroc(), s.pixelAupro(), s.imageF1Max(),
                    s.nImages(), s.nAnomalous(), CategoryJobs.seconds(t0), null);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            return Result.failed(category, CategoryJobs.seconds(t0), Main.message(e));
        }
    }

    /** The mean over the categories that were evaluated (NaN if one of them is NaN, as a table would show it). */
    static Result mean(List<Result> results) {
        List<Result> ok = results.stream().filter(r -> r.status().equals("ok")).toList();
        double n = ok.size();
        return new Result("mean", "mean", ok.stream().mapToDouble(Result::imageAuroc).sum() / n,
                ok.stream().mapToDouble(Result::pixelAuroc).sum() / n, ok.stream().mapToDouble(Result::aupro).sum() / n,
                ok.stream().mapToDouble(Result::imageF1Max).sum() / n, ok.stream().mapToInt(Result::nImages).sum(),
                ok.stream().mapToInt(Result::nAnomalous).sum(), results.stream().mapToDouble(Result::seconds).sum(),
                ok.size() + " of " + results.size() + " categories");
    }

    private static void write(SparkSession spark, List<Result> results, Path out) {
        List<Row> rows = results.stream().map(r -> RowFactory.create(r.category(), r.status(), nullIfNaN(r.imageAuroc()),
                nullIfNaN(r.pixelAuroc()), nullIfNaN(r.aupro()), nullIfNaN(r.imageF1Max()), r.nImages(), r.nAnomalous(),
                r.seconds(), r.error())).toList();
        // Overwrite replaces only this summary folder, and only with --force when it existed before.
        spark.createDataFrame(rows, SCHEMA).coalesce(1).write().mode(SaveMode.Overwrite)
                .parquet(out.resolve("summary.parquet").toAbsolutePath().toUri().toString());
        writeAtomically(out.resolve("summary.csv"), csv(results));
        writeAtomically(out.resolve("summary.md"), markdown(results));
    }

    static String csv(List<Result> results) {
        StringBuilder sb = new StringBuilder(String.join(",", SCHEMA.fieldNames())).append('\n');
        for (Result r : results) {
            sb.append(Csv.field(r.category())).append(',').append(r.status()).append(',').append(num(r.imageAuroc()))
                    .append(',').append(num(r.pixelAuroc())).append(',').append(num(r.aupro())).append(',')
                    .append(num(r.imageF1Max())).append(',').append(r.nImages()).append(',').append(r.nAnomalous())
                    .append(',').append(String.format(Locale.ROOT, "%.3f", r.seconds())).append(',')
                    .append(r.error() == null ? "" : Csv.field(r.error())).append('\n');
        }
        return sb.toString();
    }

    /** Table II's layout: one row per category, then the mean; values in percent. */
    static String markdown(List<Result> results) {
        List<List<String>> rows = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Result r : results) {
            if (r.status().equals("failed")) {
                failures.add("- " + r.category() + ": " + r.error());
                continue;
            }
            String name = r.status().equals("mean") ? "**Mean**" : r.category();
            rows.add(List.of(name, pct(r.imageAuroc()), pct(r.pixelAuroc()), pct(r.aupro())));
        }
        String md = MarkdownTable.of(List.of("Category", "Image AUROC", "Pixel AUROC", "AUPRO@0.3"), rows);
        return failures.isEmpty() ? md : md + "\nNot evaluated:\n\n" + String.join("\n", failures) + "\n";
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", 100 * v);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static void writeAtomically(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFile.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
