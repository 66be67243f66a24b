package dev.aand.cli;

import dev.aand.engine.OfflineEngine;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code aand} command line. */
@Command(name = "aand", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Industrial visual anomaly detection with AAND (advanced teacher + reverse distillation).",
        subcommands = {DemoCommand.class, TrainCommand.class, TestCommand.class, PredictCommand.class,
                BenchCommand.class, ImportOfficialCommand.class, ServeCommand.class, CommandLine.HelpCommand.class},
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

    /**
     * The project's conventions on a command line (aand-spark's commands too): hyper-parameter
     * defaults from the configuration record, one clear line per failure (a stack trace only with
     * AAND_DEBUG set), out-of-memory errors included.
     */
    public static CommandLine withErrorHandling(CommandLine cl) {
        cl.setDefaultValueProvider(new ConfigDefaults());
        cl.setExecutionStrategy(Main::execute);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // Users get one clear line; a stack trace only on request.
            cmd.getErr().println("error: " + message(ex));
            debug(ex, cmd);
            return 1;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("error: " + ex.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName()
                    + " --help')");
            debug(ex, cmd);
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cl;
    }

    /**
     * Runs the chosen command; errors that picocli lets through (out of memory, a stack overflow)
     * also end as one line instead of a JVM stack trace.
     */
    private static int execute(CommandLine.ParseResult parsed) {
        try {
            return new CommandLine.RunLast().execute(parsed);
        } catch (OutOfMemoryError e) {
            return fail(parsed, e, "out of memory (" + e.getMessage() + "): use a smaller --image-size or --batch-size,"
                    + " or give Java more memory (AAND_JAVA_OPTS=-Xmx8g)");
        } catch (StackOverflowError e) {
            return fail(parsed, e, "stack overflow: the input is nested too deeply");
        }
    }

    private static int fail(CommandLine.ParseResult parsed, Throwable e, String line) {
        CommandLine cmd = parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1);
        cmd.getErr().println("error: " + line);
        debug(e, cmd);
        return 1;
    }

    private static void debug(Throwable e, CommandLine cmd) {
        if (System.getenv("AAND_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
        }
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
