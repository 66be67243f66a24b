package dev.aand.cli;

import dev.aand.engine.OfflineEngine;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code aand} command line. */
@Command(name = "aand", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Industrial visual anomaly detection with AAND (advanced teacher + reverse distillation).",
        subcommands = {DemoCommand.class, TrainCommand.class, TestCommand.class, PredictCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class},
        // The launcher (./aand) runs 'spark' from the aand-spark job jar, so that aand.jar carries no Spark.
        footer = {"", "Scale out: ./aand spark score|train|test runs batch scoring, multi-category",
                "training and evaluation on Apache Spark (see ./aand spark --help)."})
public final class Main {
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        // Before anything touches DJL: it must never try the network.
        System.setProperty("ai.djl.offline", "true");
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return withErrorHandling(new CommandLine(new Main()));
    }

    /** One clear line per failure, a stack trace only with AAND_DEBUG set (aand-spark's commands too). */
    public static CommandLine withErrorHandling(CommandLine cl) {
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // Users get one clear line; a stack trace only on request.
            cmd.getErr().println("error: " + message(ex));
            if (System.getenv("AAND_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cl;
    }

    /** The first message along a failure's cause chain. */
    public static String message(Throwable ex) {
        Throwable t = ex;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    static void startEngine() {
        OfflineEngine.get();
    }

    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"aand " + dev.aand.train.Version.get()};
        }
    }
}
