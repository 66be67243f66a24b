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
import dev.aand.nn.InferenceFormat;
import dev.aand.nn.InitContext;
import dev.aand.nn.Precision;
import dev.aand.train.TrainingBenchmark;
import java.util.LinkedHashMap;
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("backbone", config.backbone());
        out.put("weights", model.weights == null
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
        try (NDManager manager = NDManager.newBaseManager()) {
            AandModel net = build(config, manager);
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
        System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(out));
        return 0;
    }

    private AandModel build(AandConfig config, NDManager manager) {
        Backbone teacher = Backbones.create(config.backbone(), model.weights, manager, 0);
        return new AandModel(teacher, config, new InitContext(manager, 0));
    }
}
