package dev.aand.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.aand.data.AnomalyDataset;
import dev.aand.data.Sample;
import dev.aand.testing.Engines;
import dev.aand.testing.TinyModel;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aand serve} as its own process: the service's scores are {@code aand predict}'s for the same
 * model and images, and SIGTERM with a request in flight drains it and exits 0.
 */
class ServeCommandTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
    @TempDir
    static Path dir;
    static Path models;
    static List<Path> images;

    @BeforeAll
    static void trainTiny() {
        Engines.manager().close();
        AnomalyDataset data = TinyModel.cookie(dir, 2, 3);
        models = dir.resolve("models");
        TinyModel.train(data, models.resolve("cookie"), 0);
        images = data.test().stream().map(Sample::image).toList();
    }

    @Test
    void servesPredictScoresAndDrainsOnSigterm() throws Exception {
        // The command line's scores, one image per batch.
        Path out = dir.resolve("pred");
        Map<String, Double> cli = PredictScores.of(models.resolve("cookie"), out, images, "--batch-size", "1");

        Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--models", models.toString(), "--port", "0", "--max-batch", "1", "--drain-seconds", "60")
                .redirectErrorStream(true).start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException e) {
                lines.add("reader: " + e);
            }
        });
        reader.start();
        try {
            String base = null;
            StringBuilder log = new StringBuilder();
            for (String l; (l = lines.poll(120, TimeUnit.SECONDS)) != null; ) {
                log.append(l).append('\n');
                Matcher m = LISTENING.matcher(l);
                if (m.find()) {
                    base = m.group(1);
                }
                if (l.equals("ready")) {
                    break;
                }
            }
            assertNotNull(base, log.toString());
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (Path p : images) {
                HttpResponse<String> r = client.send(post(base, "image/jpeg", Files.readAllBytes(p)),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                double score = JsonParser.parseString(r.body()).getAsJsonObject().get("score").getAsDouble();
                assertEquals(cli.get(p.toString()), score, 0.0, "service vs aand predict for " + p);
            }

            // A long multipart request (one image per batch) is in flight when SIGTERM arrives.
            int n = 40;
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(multipart(base, images.get(0), n),
                    HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (queueDepth(client, base) == 0) {
                assertTrue(System.nanoTime() < deadline, "the request never reached the queue");
                assertFalse(inFlight.isDone(), "the request finished before SIGTERM could be sent; make it longer");
            }
            serve.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
            HttpResponse<String> r = inFlight.get(60, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            JsonArray results = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("results");
            assertEquals(n, results.size());
            for (int i = 0; i < n; i++) {
                JsonObject o = results.get(i).getAsJsonObject();
                assertEquals(cli.get(images.get(0).toString()), o.get("score").getAsDouble(), 0.0);
            }
            assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "serve exits after draining");
            reader.join(5000);
            List<String> rest = new ArrayList<>();
            lines.drainTo(rest);
            assertEquals(0, serve.exitValue(), String.join("\n", rest));
            assertTrue(rest.stream().anyMatch(l -> l.startsWith("stopping")), rest.toString());
            assertTrue(rest.contains("stopped"), rest.toString());
        } finally {
            serve.destroyForcibly();
        }
    }

    private static HttpRequest post(String base, String type, byte[] body) {
        return HttpRequest.newBuilder(URI.create(base + "/v1/models/cookie/predict")).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static HttpRequest multipart(String base, Path image, int copies) throws IOException {
        byte[] bytes = Files.readAllBytes(image);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < copies; i++) {
            out.writeBytes(("--b0undary\r\nContent-Disposition: form-data; name=\"i" + i + "\"; filename=\"i.jpg\"\r\n"
                    + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(bytes);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes("--b0undary--\r\n".getBytes(StandardCharsets.UTF_8));
        return post(base, "multipart/form-data; boundary=b0undary", out.toByteArray());
    }

    private static double queueDepth(HttpClient client, String base) throws Exception {
        String text = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith("aand_queue_depth{model=\"cookie\"} ")) {
                return Double.parseDouble(line.substring(line.indexOf("} ") + 2));
            }
        }
        throw new AssertionError("no queue depth in " + text);
    }
}
