package dev.aand.nn;

import ai.djl.ndarray.*;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aand.engine.OfflineEngine;
import dev.aand.train.Adam;

public class GradProbe {
    public static void main(String[] a) {
        var engine = OfflineEngine.get();
        try (NDManager mm = NDManager.newBaseManager()) {
            InitContext ctx = new InitContext(mm, 1);
            Sequential s = new Sequential();
            Conv2d c = new Conv2d(ctx, 3, 4, 3, 1, 1, 1, true, Conv2d.Init.KAIMING_FAN_OUT);
            BatchNorm2d bn = new BatchNorm2d(ctx, 4);
            s.add(c, c::forward).add(bn, bn::forward);
            s.train(true);
            System.out.println(s.stateDict().keySet());
            Adam opt = new Adam(s.parameters(), 0.01, 0.5, 0.999);
            NDArray x = mm.randomNormal(new Shape(2, 3, 8, 8));
            for (int it = 0; it < 5; it++) {
                try (NDScope scope = new NDScope()) {
                    NDArray loss;
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        loss = s.forward(x).sub(1).square().mean();
                        gc.backward(loss);
                    }
                    opt.step();
                    System.out.println("loss " + loss.getFloat() + " rm " + s.stateDict().get("1.running_mean").getFloat(0)
                      + " grad0 " + s.parameters().get("0.weight").getGradient().abs().sum().getFloat());
                }
            }
            System.out.println("mm arrays " + mm.getManagedArrays().size());
        }
    }
}
