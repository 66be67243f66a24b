package dev.aand.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** Running means of named loss terms over an epoch. */
final class LossMeter {
    private final Map<String, double[]> sums = new LinkedHashMap<>();

    void add(Map<String, Double> step) {
        step.forEach((k, v) -> {
            double[] s = sums.computeIfAbsent(k, x -> new double[2]);
            s[0] += v;
            s[1]++;
        });
    }

    Map<String, Double> means() {
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((k, s) -> out.put(k, s[0] / s[1]));
        return out;
    }
}
