package dev.aand.spark;

import dev.aand.cli.Main;
import dev.aand.cli.TrainCommand;
import dev.aand.config.AandConfig;
import dev.aand.data.DatasetOptions;
import dev.aand.data.Datasets;
import dev.aand.model.ModelStore;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * Trains one model per category, one Spark task each, into {@code OUT/CATEGORY}. A model folder
 * appears whole or not at all ({@link ModelStore} writes beside it and renames). A category that
 * fails is reported and the others go on; one whose model exists is skipped unless forced, and a
 * folder in the way that is not a model is never touched.
 */
public final class TrainJob {
    private TrainJob() {}

    /**
     * @param dataset layout: mvtec, mvtec3d or visa
     * @param root dataset root, the same path on every node
     * @param categories categories to train
     * @param out folder of model folders, the same path on every node
     * @param configJson the training configuration ({@link AandConfig#toJson})
     * @param force retrain categories whose model exists
     */
    public record Options(String dataset, String root, List<String> categories, String out, String configJson,
            boolean force) implements Serializable {}

    /**
     * One category's outcome.
     *
     * @param status trained, skipped or failed
     * @param error why it failed (null otherwise)
     */
    public record Result(String category, String status, String model, double seconds, String error)
            implements Serializable {}

    public static List<Result> run(SparkSession spark, Options o) {
        AandConfig.fromJson(o.configJson()).validate();
        List<Result> results = new ArrayList<>();
        List<String> todo = new ArrayList<>();
        for (String c : o.categories()) {
            Path dir = Path.of(o.out()).resolve(c);
            if (isModel(dir) && !o.force()) {
                results.add(new Result(c, "skipped", dir.toString(), 0, null));
            } else if (Files.exists(dir) && !isModel(dir)) {
                results.add(new Result(c, "failed", dir.toString(), 0,
                        dir + " exists and is not a model folder; left untouched"));
            } else {
                todo.add(c);
            }
        }
        results.addAll(CategoryJobs.each(spark, todo, c -> trainOne(o, c)));
        results.sort(Comparator.comparingInt(r -> o.categories().indexOf(r.category())));
        return results;
    }

    private static Result trainOne(Options o, String category) {
        long t0 = System.nanoTime();
        Path dir = Path.of(o.out()).resolve(category);
        try {
            AandConfig config = AandConfig.fromJson(o.configJson());
            // Only a missing folder, or a model with --force, gets here (see run); OutputDir checks again.
            TrainCommand.train(config, () -> Datasets.open(o.dataset(), DatasetOptions.of(Path.of(o.root()), category)
                    .withValidation(config.validationFraction(), config.seed())), dir, o.force(), false);
            return new Result(category, "trained", dir.toString(), CategoryJobs.seconds(t0), null);
        } catch (RuntimeException | OutOfMemoryError e) {
            // Reported in the summary instead of failing the task, so the other categories go on.
            return new Result(category, "failed", dir.toString(), CategoryJobs.seconds(t0), Main.message(e));
        }
    }

    static boolean isModel(Path dir) {
        return Files.isRegularFile(dir.resolve(ModelStore.META));
    }

    /** The summary printed after the job. */
    public static String table(List<Result> results) {
        List<List<String>> rows = results.stream().map(r -> List.of(r.category(), r.status(),
                String.format(Locale.ROOT, "%.1f", r.seconds()), r.error() == null ? r.model() : r.error())).toList();
        return MarkdownTable.of(List.of("category", "status", "seconds", "model / error"), rows);
    }
}
