package dev.aand.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import dev.aand.backbone.Backbone;
import dev.aand.backbone.Backbones;
import dev.aand.config.AandConfig;
import dev.aand.infer.Inferencer;
import dev.aand.model.AandModel;
import dev.aand.nn.InitContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Inference latency and throughput of the whole pipeline (teacher, RAA, bottleneck, decoder, map), "
                + "or of the teacher alone, as JSON.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelArgs model = new ModelArgs();

    @Option(names = "--batch-size", defaultValue = "1") int batchSize;
    @Option(names = "--warmup", defaultValue = "2") int warmup;
    @Option(names = "--iterations", defaultValue = "5") int iterations;
    @Option(names = "--teacher-only", description = "Time only normalisation and the teacher's three feature maps.")
    boolean teacherOnly;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        model.check(spec);
        OptionChecks.batchSize(spec, batchSize);
        OptionChecks.range(spec, "--warmup", warmup, 0, 100_000);
        OptionChecks.range(spec, "--iterations", iterations, 1, 100_000);
        Main.startEngine();
        Map<String, Object> o = new LinkedHashMap<>();
        model.putInto(o);
        AandConfig config = AandConfig.defaults().with(o);
        String backbone = config.backbone();
        int imageSize = config.imageSize();
        try (NDManager manager = NDManager.newBaseManager()) {
            Backbone teacher = Backbones.create(backbone, model.weights, manager, 0);
            AandModel net = new AandModel(teacher, config, new InitContext(manager, 0));
            Inferencer inf = new Inferencer(net, manager, batchSize);
            float[] data = new float[batchSize * 3 * imageSize * imageSize];
            java.util.SplittableRandom r = new java.util.SplittableRandom(1);
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (r.nextDouble() * 255);
            }
            NDArray x = manager.create(data, new Shape(batchSize, 3, imageSize, imageSize));
            double[] ms = new double[iterations];
            for (int i = 0; i < warmup + iterations; i++) {
                long t0 = System.nanoTime();
                try (NDScope scope = new NDScope()) {
                    // Reading the results back forces the engine to finish the work.
                    if (teacherOnly) {
                        teacher.features(teacher.normalize(x)).forEach(NDArray::toFloatArray);
                    } else {
                        inf.mapsOf(x).toFloatArray();
                    }
                }
                if (i >= warmup) {
                    ms[i - warmup] = (System.nanoTime() - t0) / 1e6;
                }
            }
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            double median = sorted[sorted.length / 2];
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("backbone", backbone);
            out.put("weights", model.weights == null
                    ? ("mobilenet_v1".equals(backbone) ? "embedded" : "random") : model.weights.toString());
            out.put("measured", teacherOnly ? "teacher" : "teacher+raa+bottleneck+decoder+map");
            out.put("method", config.method().id());
            out.put("image_size", imageSize);
            out.put("batch_size", batchSize);
            out.put("threads", Runtime.getRuntime().availableProcessors());
            out.put("iterations", iterations);
            out.put("latency_ms_median", round(median));
            out.put("latency_ms_min", round(sorted[0]));
            out.put("latency_ms_max", round(sorted[sorted.length - 1]));
            out.put("images_per_second", round(batchSize * 1000.0 / median));
            out.put("teacher_parameters", teacher.module().parameterCount());
            out.put("trainable_parameters", net.parameterCount());
            out.put("peak_rss_mib", peakRssMib());
            System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(out));
        }
        return 0;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** The process's peak resident memory (Linux VmHWM), covering the JVM and libtorch. */
    static long peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
