package dev.aand.cli;

import dev.aand.engine.OfflineEngine;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code aand} command line. */
@Command(name = "aand", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Industrial visual anomaly detection with AAND (advanced teacher + reverse distillation).",
        subcommands = {DemoCommand.class, TrainCommand.class, TestCommand.class, PredictCommand.class,
                BenchCommand.class, ServeCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        // Before anything touches DJL: it must never try the network.
        System.setProperty("ai.djl.offline", "true");
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
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

    private static String message(Throwable ex) {
        Throwable t = ex;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    static void startEngine() {
        OfflineEngine.get();
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"aand " + dev.aand.train.Version.get()};
        }
    }
}
