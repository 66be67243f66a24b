package dev.aand.spark;

import dev.aand.cli.Main;
import org.apache.spark.SparkException;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code aand spark}: the Spark jobs' command line. The same class is the main class of the job
 * jar for spark-submit; {@code ./aand spark ...} runs it in local mode.
 */
@Command(name = "aand spark", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Batch scoring, multi-category training and evaluation on Apache Spark.",
        subcommands = {ScoreCommand.class, SparkTrainCommand.class, SparkTestCommand.class, CommandLine.HelpCommand.class})
public final class SparkMain {
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.setProperty("ai.djl.offline", "true");
        LocalLogging.quietUnlessConfigured();
        int rc = commandLine().execute(args);
        scala.Option<SparkSession> session = SparkSession.getDefaultSession();
        if (session.isDefined()) {
            session.get().stop();
        }
        System.exit(rc);
    }

    static CommandLine commandLine() {
        CommandLine cl = Main.withErrorHandling(new CommandLine(new SparkMain()));
        CommandLine.IExecutionExceptionHandler plain = cl.getExecutionExceptionHandler();
        // A failed Spark job wraps the task's own failure; the user wants that one line.
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> plain.handleExecutionException(cause(ex), cmd, parsed));
        return cl;
    }

    static Exception cause(Exception ex) {
        Throwable t = ex;
        while (t instanceof SparkException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof Exception e ? e : ex;
    }
}
