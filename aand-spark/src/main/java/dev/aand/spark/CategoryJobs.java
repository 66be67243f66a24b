package dev.aand.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.SparkSession;

/**
 * Runs one Spark task per category: the list is cut into as many slices as it has names, so each
 * task gets exactly one, and the task sizes libtorch's threads to the cores it owns.
 */
final class CategoryJobs {
    private CategoryJobs() {}

    static <R extends Serializable> List<R> each(SparkSession spark, List<String> categories, Function<String, R> work) {
        if (categories.isEmpty()) {
            return new ArrayList<>();
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return jsc.parallelize(categories, categories.size()).map(c -> {
            TaskContext ctx = TaskContext.get();
            EngineThreads.start(ctx == null ? 1 : ctx.cpus());
            return work.call(c);
        }).collect();
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
