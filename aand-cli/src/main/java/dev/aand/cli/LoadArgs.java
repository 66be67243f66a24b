package dev.aand.cli;

import dev.aand.model.ModelStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The trained model that test and predict score with, and how strictly it is verified. */
final class LoadArgs {
    @Option(names = "--model", required = true, description = "Model directory written by 'aand train'.")
    Path model;

    @Option(names = "--allow-changed-teacher",
            description = "Use a teacher weights file whose SHA-256 differs from the one recorded at training.")
    boolean allowChangedTeacher;

    /** Loading as the CLI does it: a warning of an accepted irregularity goes to stderr. */
    ModelStore.LoadOptions options() {
        return options(allowChangedTeacher);
    }

    static ModelStore.LoadOptions options(boolean allowChangedTeacher) {
        return new ModelStore.LoadOptions(allowChangedTeacher, w -> System.err.println("warning: " + w));
    }
}
