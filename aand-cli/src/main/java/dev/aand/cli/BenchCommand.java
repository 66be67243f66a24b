package dev.aand.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import dev.aand.backbone.Backbone;
import dev.aand.backbone.Backbones;
import dev.aand.config.AandConfig;
import dev.aand.engine.OfflineEngine;
import dev.aand.engine.ProcessMemory;
import dev.aand.infer.InferenceBenchmark;
import dev.aand.infer.Inferencer;
import dev.aand.model.AandModel;
import dev.aand.model.ModelStore;
import dev.aand.nn.InferenceFormat;
import dev.aand.nn.InitContext;
import dev.aand.nn.Precision;
import dev.aand.train.TrainingBenchmark;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Latency, throughput and memory of inference (the whole pipeline: teacher, RAA, bottleneck, "
                + "decoder, map; or the teacher alone), or with --train of one stage-1 and one stage-2 training "
                + "step, as JSON. Weights are the embedded or random ones: speed does not depend on them.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelArgs model = new ModelArgs();

    @Option(names = "--batch-size", defaultValue = "1") int batchSize;
    @Option(names = "--warmup", defaultValue = "2", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;
    @Option(names = "--iterations", defaultValue = "5", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int iterations;
    @Option(names = "--teacher-only", description = "Time only normalisation and the teacher's three feature maps.")
    boolean teacherOnly;
    @ConfigDefaults.Key("precision")
    @Option(names = "--precision",
            description = "fp32, or bf16 on CPUs with bfloat16 instructions (default: ${DEFAULT-VALUE}).")
    String precision;
    @Option(names = "--threads", description = "libtorch intra-op threads (default: libtorch's, one per core).")
    Integer threads;
    @Option(names = "--profile", description = "Also time each stage: wall, thread and process CPU, page faults.")
    boolean profile;
    @Option(names = "--compare-unprepared", description = "Also time, alternating run by run with the measured "
            + "path, the unprepared path (fp32, NCHW, BatchNorm unfolded) on an identical second model.")
    boolean compareUnprepared;
    @Option(names = "--train", description = "Time training steps of stage 1 and stage 2 instead of inference.")
    boolean train;
    @Option(names = "--model", description = "Time this trained model folder (its weights and configuration) "
            + "instead of a fresh network built from the options: trained weights can run slower than fresh ones.")
    Path trained;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        model.check(spec);
        OptionChecks.batchSize(spec, batchSize);
        OptionChecks.range(spec, "--warmup", warmup, 0, 100_000);
        OptionChecks.range(spec, "--iterations", iterations, 1, 100_000);
        Precision p = OptionChecks.precision(spec, precision);
        if (threads != null) {
            OptionChecks.range(spec, "--threads", threads, 1, 1024);
        }
        Main.startEngine();
        if (threads != null) {
            OfflineEngine.setThreads(threads);
        }
        if (trained != null) {
            for (String option : List.of("--backbone", "--weights", "--method", "--image-size", "--train",
                    "--compare-unprepared")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new IllegalArgumentException("--model " + trained + " is timed with its own configuration;"
                            + " " + option + " does not apply to it");
                }
            }
        }
        Map<String, Object> o = new LinkedHashMap<>();
        model.putInto(o);
        o.put("precision", p);
        AandConfig config = AandConfig.defaults().with(o);
        if (train) {
            if (p != Precision.FP32) {
                throw new IllegalArgumentException("--train measures float32 training; --precision applies to inference");
            }
            config = TrainingBenchmark.config(config, batchSize, warmup, iterations);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            AandModel net;
            if (trained != null) {
                net = ModelStore.load(trained, manager,
                        new ModelStore.LoadOptions(false, w -> System.err.println("warning: " + w))).model();
                config = net.config();
            } else {
                net = build(config, manager);
            }
            Map<String, Object> out = describe(config, p);
            measure(out, net, config, p, manager);
            System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(out));
        }
        return 0;
    }

    private Map<String, Object> describe(AandConfig config, Precision p) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (trained != null) {
            out.put("model", trained.toAbsolutePath().normalize().toString());
        }
        out.put("backbone", config.backbone());
        out.put("weights", trained != null ? "trained" : model.weights == null
                ? ("mobilenet_v1".equals(config.backbone()) ? "embedded" : "random") : model.weights.toString());
        out.put("measured", train ? "training steps" : teacherOnly ? "teacher" : "teacher+raa+bottleneck+decoder+map");
        out.put("method", config.method().id());
        out.put("precision", p.id());
        out.put("image_size", config.imageSize());
        out.put("batch_size", batchSize);
        out.put("threads", OfflineEngine.threads());
        out.put("allocator", ProcessMemory.allocator());
        out.put("warmup", warmup);
        out.put("iterations", iterations);
        return out;
    }

    private void measure(Map<String, Object> out, AandModel net, AandConfig config, Precision p, NDManager manager) {
        out.put("teacher_parameters", net.teacher().module().parameterCount());
        out.put("trainable_parameters", net.parameterCount());
        if (train) {
            out.putAll(TrainingBenchmark.run(net, warmup, manager));
        } else {
            Inferencer subject = new Inferencer(net, manager, batchSize, InferenceFormat.of(p));
            Inferencer reference = compareUnprepared
                    ? Inferencer.unprepared(build(config, manager), manager, batchSize) : null;
            out.put("path", InferenceBenchmark.describe(subject.format()));
            out.putAll(InferenceBenchmark.run(subject, reference, manager,
                    new InferenceBenchmark.Options(batchSize, warmup, iterations, teacherOnly, profile)));
        }
        out.put("peak_rss_mib", ProcessMemory.mib(ProcessMemory.peakRss()));
    }

    private AandModel build(AandConfig config, NDManager manager) {
        Backbone teacher = Backbones.create(config.backbone(), model.weights, manager, 0);
        return new AandModel(teacher, config, new InitContext(manager, 0));
    }
}
