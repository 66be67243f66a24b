package dev.aand.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a command writes, and whether it may replace what an earlier run of it wrote there. */
final class OutputArgs {
    @Option(names = "--out", required = true,
            description = "Folder to write: new, empty, or an earlier output of this command (replaced only with --force).")
    Path out;

    @Option(names = "--force", description = "Replace the output that an earlier run of this command wrote to --out.")
    boolean force;
}
