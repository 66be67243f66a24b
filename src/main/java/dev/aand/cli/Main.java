package dev.aand.cli;

import ai.djl.ndarray.*;
import ai.djl.ndarray.types.Shape;
import dev.aand.engine.OfflineEngine;

public final class Main {
    public static void main(String[] args) {
        var e = OfflineEngine.get();
        System.out.println(e.getEngineName() + " " + e.getVersion() + " gpus=" + e.getGpuCount());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(2, 3, 8, 8));
            System.out.println(a.mean());
        }
    }
}
