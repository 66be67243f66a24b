package dev.aand.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aand.engine.OfflineEngine;
import org.junit.jupiter.api.Test;

/** Module.load must change the tensor the layer computes with, not a detached copy of it. */
class ModuleLoadTest {
    @Test
    void loadedValuesReachTheForwardPass() {
        OfflineEngine.get();
        try (NDManager m = NDManager.newBaseManager()) {
            InitContext ctx = new InitContext(m, 5);
            Linear lin = new Linear(ctx, 2, 1);
            lin.load("weight", new float[] {2, 3});
            lin.load("bias", new float[] {1});
            NDArray y = lin.forward(m.create(new float[] {10, 100}, new Shape(1, 2)));
            assertEquals(321f, y.getFloat(0, 0));
            assertTrue(lin.parameters().get("weight").hasGradient(), "still a trainable parameter");
            BatchNorm2d bn = new BatchNorm2d(ctx, 2);
            bn.load("running_var", new float[] {4, 9});
            assertArrayEquals(new float[] {4, 9}, bn.stateDict().get("running_var").toFloatArray());
        }
    }
}
