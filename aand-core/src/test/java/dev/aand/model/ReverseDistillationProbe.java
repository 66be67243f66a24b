package dev.aand.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aand.engine.OfflineEngine;
import dev.aand.nn.InitContext;

/**
 * One-off measurement, not a test: parameter counts of every design and the forward+backward time
 * of one design at a given batch and image size. Args: [backbone] [batch] [image] [repeats].
 */
public final class ReverseDistillationProbe {
    public static void main(String[] args) {
        var engine = OfflineEngine.get();
        String backbone = args.length > 0 ? args[0] : "mobilenet_v1";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int image = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        try (NDManager m = NDManager.newBaseManager()) {
            for (String name : ReverseDistillationSpec.knownBackbones()) {
                try (NDManager sub = m.newSubManager()) {
                    ReverseDistillationSpec spec = ReverseDistillationSpec.forBackbone(name);
                    ReverseDistillationNets nets = ReverseDistillationNets.build(spec, new InitContext(sub, 0));
                    System.out.printf("%-16s bottleneck %,12d  decoder %,12d  total %,12d%n", name,
                            nets.bottleneck().parameterCount(), nets.decoder().parameterCount(), nets.parameterCount());
                }
            }
            ReverseDistillationSpec spec = ReverseDistillationSpec.forBackbone(backbone);
            ReverseDistillationNets nets = ReverseDistillationNets.build(spec, new InitContext(m, 0)).train(true);
            NDList levels = new NDList();
            for (int i = 0; i < 3; i++) {
                int side = image / (4 << i);
                levels.add(m.randomNormal(new Shape(batch, spec.teacherChannels()[i], side, side)));
            }
            for (int r = 0; r < repeats; r++) {
                try (NDScope scope = new NDScope()) {
                    long t0 = System.nanoTime();
                    long t1;
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NDList out = nets.forward(levels);
                        NDArray loss = out.get(0).mean().add(out.get(1).mean()).add(out.get(2).mean());
                        loss.getFloat();
                        t1 = System.nanoTime();
                        gc.backward(loss);
                    }
                    nets.parameters().values().iterator().next().getGradient().getFloat(0, 0, 0, 0);
                    long t2 = System.nanoTime();
                    System.out.printf("%s batch %d %dx%d: forward %.2f s, backward %.2f s, total %.2f s%n", backbone,
                            batch, image, image, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t2 - t0) / 1e9);
                }
            }
        }
    }
}
