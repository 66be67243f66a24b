package dev.aand.cli;

import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.Criteria;
import dev.aand.api.Aand;
import dev.aand.api.AnomalyResult;
import dev.aand.model.ModelStore;
import dev.aand.nn.Precision;
import java.nio.file.Path;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The trained model that test and predict score with, and how strictly it is verified. */
final class LoadArgs {
    @Option(names = "--model", required = true, description = "Model directory written by 'aand train'.")
    Path model;

    @Option(names = "--allow-changed-teacher",
            description = "Use a teacher weights file whose SHA-256 differs from the one recorded at training.")
    boolean allowChangedTeacher;

    @Option(names = "--precision", description = "Inference precision, fp32 or bf16 (CPUs with bfloat16 "
            + "instructions); default: the one stored in the model.")
    String precision;

    /** The precision asked for, or null for the model's own. */
    Precision precision() {
        return precision == null ? null : Precision.parse(precision);
    }

    /** Refuses a bad --precision before anything is loaded or written. */
    void check(CommandSpec spec) {
        OptionChecks.precision(spec, precision);
    }

    /** Loading as the CLI does it: a warning of an accepted irregularity goes to stderr. */
    ModelStore.LoadOptions options() {
        return options(allowChangedTeacher);
    }

    static ModelStore.LoadOptions options(boolean allowChangedTeacher) {
        return new ModelStore.LoadOptions(allowChangedTeacher, LoadArgs::warn);
    }

    /** The library's criteria for this model, verified as {@link #options()} says. */
    Criteria<Image, AnomalyResult> criteria(Double threshold) {
        Criteria.Builder<Image, AnomalyResult> b = Aand.builder(model)
                .optArgument(Aand.ALLOW_CHANGED_TEACHER, allowChangedTeacher)
                .optArgument(Aand.WARNINGS, (Consumer<String>) LoadArgs::warn);
        if (threshold != null) {
            b.optArgument(Aand.THRESHOLD, threshold);
        }
        if (precision != null) {
            b.optArgument(Aand.PRECISION, precision().id());
        }
        return b.build();
    }

    private static void warn(String w) {
        System.err.println("warning: " + w);
    }
}
