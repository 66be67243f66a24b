package dev.aand.spark;

import java.io.File;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * Options every Spark job takes, and the session they describe. Without {@code --master} (and
 * outside spark-submit) a job runs in local mode on this machine's cores.
 */
final class SparkArgs {
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?])?");

    @Option(names = "--master", description = "Spark master URL (default: spark-submit's, else local[*]: every core here).")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting; repeatable.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--task-cpus", description = "Cores per task, which is also libtorch's threads per task "
            + "(default: see the command; spark.task.cpus when set).")
    Integer taskCpus;

    /**
     * The session for a job. When neither {@code --task-cpus} nor {@code spark.task.cpus} says,
     * {@code taskCpus} maps the cores of an executor (a local master's cores, or
     * {@code spark.executor.cores} where set) to the cores each task gets.
     */
    SparkSession session(String job, IntUnaryOperator taskCpus) {
        SparkConf sc = new SparkConf(); // spark.* JVM properties included: spark-submit passes its settings so
        conf.forEach(sc::set);
        if (master != null) {
            sc.setMaster(master);
        } else if (!sc.contains("spark.master")) {
            sc.setMaster("local[*]");
        }
        Matcher local = LOCAL.matcher(sc.get("spark.master"));
        if (this.taskCpus != null) {
            if (this.taskCpus < 1) {
                throw new IllegalArgumentException("--task-cpus must be at least 1, got " + this.taskCpus);
            }
            sc.set("spark.task.cpus", this.taskCpus.toString());
        } else if (!sc.contains("spark.task.cpus")) {
            if (local.matches()) {
                sc.set("spark.task.cpus", Integer.toString(taskCpus.applyAsInt(localCores(local))));
            } else if (sc.contains("spark.executor.cores")) {
                sc.set("spark.task.cpus", Integer.toString(taskCpus.applyAsInt(sc.getInt("spark.executor.cores", 1))));
            }
        }
        if (local.matches()) {
            // A command-line run: no web UI to bind, but Spark's one-line stage progress.
            sc.setIfMissing("spark.ui.enabled", "false");
            sc.setIfMissing("spark.ui.showConsoleProgress", "true");
        } else if (!sc.contains("spark.jars") && ownJar() != null) {
            // Started by ./aand rather than spark-submit: executors need this jar too.
            sc.set("spark.jars", ownJar());
        }
        sc.setIfMissing("spark.app.name", "aand " + job);
        return SparkSession.builder().config(sc).getOrCreate();
    }

    static int localCores(Matcher local) {
        String n = local.group(1);
        return n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
    }

    /** The jar this class was loaded from, or null when it runs from a classes folder. */
    private static String ownJar() {
        var source = SparkArgs.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            File f = new File(source.getLocation().toURI());
            return f.isFile() ? f.getAbsolutePath() : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
