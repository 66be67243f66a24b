package dev.aand.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs {@code aand predict} in this JVM and reads its scores back from predictions.csv. */
final class PredictScores {
    private PredictScores() {}

    /** Score per image path as the CSV writes it; {@code extra} options go before the images. */
    static Map<String, Double> of(Path model, Path out, List<Path> images, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        images.forEach(p -> args.add(p.toString()));
        assertEquals(0, Main.commandLine().execute(args.toArray(String[]::new)));
        Map<String, Double> scores = new HashMap<>();
        for (String row : Files.readAllLines(out.resolve("predictions.csv")).subList(1, images.size() + 1)) {
            String[] f = row.split(",");
            scores.put(f[0], Double.parseDouble(f[1]));
        }
        return scores;
    }
}
