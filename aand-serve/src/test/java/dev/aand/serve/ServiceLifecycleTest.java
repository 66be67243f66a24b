package dev.aand.serve;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queue back-pressure, reload under load, failed reloads, graceful shutdown with requests in flight,
 * and refusals at start. Each test runs its own server; tests that need requests to stay in flight
 * take the engine's whole thread budget, which freezes every lane before its next batch.
 */
class ServiceLifecycleTest {
    @TempDir
    Path dir;
    static byte[] jpeg;
    static double[] scoresA;
    static double[] scoresB;
    static String versionA;
    static String versionB;
    static List<byte[]> jpegs = new ArrayList<>();

    @BeforeAll
    static void models() throws Exception {
        for (Path p : TinyModels.images()) {
            jpegs.add(Files.readAllBytes(p));
        }
        jpeg = jpegs.get(0);
        scoresA = InspectionServerTest.singleScores(TinyModels.a(), TinyModels.images());
        scoresB = InspectionServerTest.singleScores(TinyModels.b(), TinyModels.images());
        versionA = ServedModel.sha256(TinyModels.a().resolve("weights.safetensors"));
        versionB = ServedModel.sha256(TinyModels.b().resolve("weights.safetensors"));
    }

    InspectionServer start(ServeOptions o) {
        return InspectionServer.start(o, s -> {});
    }

    ServeOptions cookieA() {
        Path models = dir.resolve("models");
        TinyModels.copy(TinyModels.a(), models.resolve("cookie"));
        return ServeOptions.defaults(models).withPort(0);
    }

    /** Lanes that can hold an image while the engine is frozen: every lane, and the solo lane where there is one. */
    static int holders(InspectionServer server) {
        return server.engine.lanes + (server.engine.hasSoloLane() ? 1 : 0);
    }

    /**
     * Posts the {@code i}-th image of a frozen engine and waits until a lane holds it or, once every
     * lane holds one, until it is queued. One at a time, so the first goes to the solo lane (nothing
     * else pending) and the next ones to the other lanes.
     */
    static CompletableFuture<HttpResponse<String>> postOneHeld(Http http, byte[] body, InspectionServer server,
            ModelWorker w, int i) throws InterruptedException {
        CompletableFuture<HttpResponse<String>> f = postAsync(http, body);
        int held = holders(server);
        if (i < held) {
            await("image " + i + " held by a lane", () -> server.engine.waitingLanes() == i + 1);
        } else {
            await("image " + i + " queued", () -> w.queueDepth() == i + 1 - held);
        }
        return f;
    }

    static CompletableFuture<HttpResponse<String>> postAsync(Http http, byte[] body) {
        HttpRequest r = http.request("/v1/models/cookie/predict").header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return Http.CLIENT.sendAsync(r, HttpResponse.BodyHandlers.ofString());
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void aBatchWaitsForImagesStillBeingPrepared() throws Exception {
        // One lane: with two, a batch leaves for the idle lane with its share of the images.
        InspectionServer server = start(cookieA().withBatching(8, 300, 64).withLanes(1));
        try {
            ModelWorker w = server.worker("cookie");
            java.awt.image.BufferedImage picture = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(jpeg));
            ModelWorker.Preparer prepare = ServedModel::prepare;
            Http http = new Http(server.port(), null);
            String batches = "aand_batch_size_images_count{model=\"cookie\"}";
            String images = "aand_batch_size_images_sum{model=\"cookie\"}";
            String before = http.get("/metrics").body();
            double batchesBefore = InspectionServerTest.metric(before, batches);
            double imagesBefore = InspectionServerTest.metric(before, images);
            // Three requests admitted together whose images become ready 200 ms apart: more than
            // --max-wait-ms (300) after the first for the last one, less after the previous one.
            ModelWorker.Ticket a = w.admit(1);
            ModelWorker.Ticket b = w.admit(1);
            ModelWorker.Ticket c = w.admit(1);
            List<CompletableFuture<ModelWorker.Scored>> scored = new ArrayList<>(a.submit(List.of(picture), prepare));
            Thread.sleep(200);
            scored.addAll(b.submit(List.of(picture), prepare));
            Thread.sleep(200);
            scored.addAll(c.submit(List.of(picture), prepare));
            for (CompletableFuture<ModelWorker.Scored> f : scored) {
                f.get(30, TimeUnit.SECONDS);
            }
            String metrics = http.get("/metrics").body();
            assertEquals(batchesBefore + 1, InspectionServerTest.metric(metrics, batches), "one batch for the three images");
            assertEquals(imagesBefore + 3, InspectionServerTest.metric(metrics, images));
        } finally {
            server.close();
        }
    }

    @Test
    void fullQueueAnswers503WithRetryAfterAndRecovers() throws Exception {
        InspectionServer server = start(cookieA().withBatching(1, 0, 2));
        try {
            Http http = new Http(server.port(), null);
            ModelWorker w = server.worker("cookie");
            server.engine.freeze();
            List<CompletableFuture<HttpResponse<String>>> admitted = new ArrayList<>();
            try {
                int held = holders(server);
                for (int i = 0; i < held + 2; i++) {
                    admitted.add(postOneHeld(http, jpeg, server, w, i));
                }
                HttpResponse<String> full = http.post("/v1/models/cookie/predict", "image/jpeg", jpeg);
                InspectionServerTest.assertError(full, 503, "queue_full", "2 of 2");
                assertEquals("1", full.headers().firstValue("Retry-After").orElse(""));
                InspectionServerTest.assertError(http.multipart("/v1/models/cookie/predict",
                        List.of(new Http.Part("a", "a.jpg", "image/jpeg", jpeg))), 503, "queue_full", "cookie");
                assertEquals(2.0, InspectionServerTest.metric(http.get("/metrics").body(), "aand_queue_depth{model=\"cookie\"}"));
            } finally {
                server.engine.unfreeze();
            }
            for (CompletableFuture<HttpResponse<String>> f : admitted) {
                HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
                assertEquals(scoresA[0], Http.json(r).get("score").getAsDouble(), 0.0, "batches of 1, like the reference");
            }
            assertEquals(0, w.queueDepth());

            // Overload without the brake: only 200 and 503, nothing hangs, the queue empties.
            ExecutorService pool = Executors.newFixedThreadPool(24);
            List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 24; c++) {
                done.add(pool.submit(() -> {
                    for (int k = 0; k < 4; k++) {
                        statuses.add(http.post("/v1/models/cookie/predict", "image/jpeg", jpeg).statusCode());
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertEquals(96, statuses.size());
            assertTrue(Set.of(200, 503).containsAll(Set.copyOf(statuses)), statuses.toString());
            assertTrue(statuses.contains(200), statuses.toString());
            await("an empty queue", () -> w.queueDepth() == 0);
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void reloadUnderLoadSwapsAtomicallyAndAFailedReloadKeepsTheOldModel() throws Exception {
        // Two lanes (where there are two engine threads): versions close only when no lane uses them.
        ServeOptions o = cookieA().withLanes(Math.min(2, dev.aand.engine.OfflineEngine.threads()));
        Path folder = o.modelsDir().resolve("cookie");
        InspectionServer server = start(o);
        try {
            Http http = new Http(server.port(), null);
            AtomicBoolean reloaded = new AtomicBoolean();
            AtomicBoolean running = new AtomicBoolean(true);
            record Seen(int image, boolean afterReload, int status, String version, double score) {}
            List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<java.util.concurrent.Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    for (int k = 0; running.get(); k++) {
                        int i = (client + k) % jpegs.size();
                        boolean after = reloaded.get();
                        HttpResponse<String> r = http.post("/v1/models/cookie/predict", "image/jpeg", jpegs.get(i));
                        JsonObject j = r.statusCode() == 200 ? Http.json(r) : null;
                        seen.add(new Seen(i, after, r.statusCode(), j == null ? r.body() : j.get("model_version").getAsString(),
                                j == null ? Double.NaN : j.get("score").getAsDouble()));
                    }
                }));
            }
            await("traffic on the old model", () -> seen.size() >= 16);
            // Replace the folder the way a deployment would: new copy beside it, then renames.
            Path fresh = TinyModels.copy(TinyModels.b(), o.modelsDir().resolve(".cookie.new"));
            Files.move(folder, o.modelsDir().resolve(".cookie.old"));
            Files.move(fresh, folder, StandardCopyOption.ATOMIC_MOVE);
            HttpResponse<String> r = http.post("/v1/models/cookie/reload", null, new byte[0]);
            assertEquals(200, r.statusCode(), r.body());
            reloaded.set(true);
            assertEquals(versionB, Http.json(r).get("model_version").getAsString());
            assertEquals(versionA, Http.json(r).get("previous_version").getAsString());
            int before = seen.size();
            await("traffic on the new model", () -> seen.size() >= before + 16);
            running.set(false);
            for (java.util.concurrent.Future<?> f : clients) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            int a = 0;
            int b = 0;
            synchronized (seen) {
                for (Seen s : seen) {
                    assertEquals(200, s.status(), s.version());
                    if (s.version().equals(versionA)) {
                        assertFalse(s.afterReload(), "a request sent after the reload answered was scored by the old model");
                        assertEquals(scoresA[s.image()], s.score(), ScoreTolerance.ACROSS_BATCH_SIZES);
                        a++;
                    } else {
                        assertEquals(versionB, s.version());
                        assertEquals(scoresB[s.image()], s.score(), ScoreTolerance.ACROSS_BATCH_SIZES);
                        b++;
                    }
                }
            }
            assertTrue(a > 0 && b > 0, a + " old, " + b + " new");
            ModelWorker w = server.worker("cookie");
            await("the old version to be freed", () -> w.openVersions() == 1);

            // A broken folder: the reload is refused, naming why, and the current model keeps serving.
            Files.write(folder.resolve("weights.safetensors"), new byte[] {1, 2, 3});
            HttpResponse<String> failed = http.post("/v1/models/cookie/reload", null, new byte[0]);
            InspectionServerTest.assertError(failed, 409, "reload_failed", "still serving version " + versionB);
            Files.delete(folder.resolve("model.json"));
            InspectionServerTest.assertError(http.post("/v1/models/cookie/reload", null, new byte[0]), 409,
                    "reload_failed", "model.json");
            HttpResponse<String> still = http.post("/v1/models/cookie/predict", "image/jpeg", jpeg);
            assertEquals(200, still.statusCode(), still.body());
            assertEquals(versionB, Http.json(still).get("model_version").getAsString());
            assertEquals(scoresB[0], Http.json(still).get("score").getAsDouble(), 0.0);
            assertEquals(1, w.openVersions());
            String m = http.get("/metrics").body();
            assertEquals(2.0, InspectionServerTest.metric(m, "aand_model_load_seconds_count{model=\"cookie\",outcome=\"ok\"}"));
            assertEquals(2.0, InspectionServerTest.metric(m, "aand_model_load_seconds_count{model=\"cookie\",outcome=\"failed\"}"));
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void shutdownDrainsInFlightRequestsAndRefusesNewConnections() throws Exception {
        InspectionServer server = start(cookieA().withBatching(1, 0, 8));
        Http http = new Http(server.port(), null);
        ModelWorker w = server.worker("cookie");
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        server.engine.freeze();
        CompletableFuture<Boolean> stopped;
        try {
            assertTrue(holders(server) <= 4);
            for (int i = 0; i < 4; i++) {
                inFlight.add(postOneHeld(http, jpegs.get(i), server, w, i));
            }
            stopped = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(20)));
            HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            await("new connections to be refused", () -> {
                try {
                    fresh.send(HttpRequest.newBuilder(java.net.URI.create(http.base + "/health/live")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    return false;
                } catch (IOException e) {
                    return true;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(200);
            assertFalse(stopped.isDone(), "stop waits for the requests in flight");
        } finally {
            server.engine.unfreeze();
        }
        for (int i = 0; i < inFlight.size(); i++) {
            HttpResponse<String> r = inFlight.get(i).get(30, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(scoresA[i], Http.json(r).get("score").getAsDouble(), ScoreTolerance.ACROSS_BATCH_SIZES);
        }
        assertTrue(stopped.get(30, TimeUnit.SECONDS), "every in-flight request finished within the deadline");
        await("every model version closed", () -> w.openVersions() == 0);
    }

    @Test
    void aDrainDeadlineCutsWhatIsLeftAndStillStops() throws Exception {
        InspectionServer server = start(cookieA());
        Http http = new Http(server.port(), null);
        ModelWorker w = server.worker("cookie");
        server.engine.freeze();
        try {
            CompletableFuture<HttpResponse<String>> stuck = postAsync(http, jpeg);
            await("the image in a lane", () -> server.engine.waitingLanes() == 1);
            long t0 = System.nanoTime();
            assertFalse(server.stop(Duration.ofMillis(300)), "the deadline passed with a request in flight");
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
            try {
                HttpResponse<String> r = stuck.get(10, TimeUnit.SECONDS);
                assertNotEquals(200, r.statusCode());
            } catch (java.util.concurrent.ExecutionException e) {
                assertInstanceOf(IOException.class, e.getCause(), "the connection was cut");
            }
        } finally {
            server.engine.unfreeze();
        }
        await("every model version closed", () -> w.openVersions() == 0);
    }

    @Test
    void badModelFoldersAreRefusedAtStart() throws Exception {
        Path models = dir.resolve("models");
        Files.createDirectories(models);
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> start(ServeOptions.defaults(models).withPort(0)));
        assertTrue(empty.getMessage().contains("no model folders"), empty.getMessage());

        Files.createDirectories(models.resolve("Bad Name"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> start(ServeOptions.defaults(models).withPort(0)));
        assertTrue(bad.getMessage().contains("'Bad Name'"), bad.getMessage());
        Files.delete(models.resolve("Bad Name"));

        TinyModels.copy(TinyModels.a(), models.resolve("good"));
        Path broken = TinyModels.copy(TinyModels.a(), models.resolve("broken"));
        Files.delete(broken.resolve("weights.safetensors"));
        IllegalStateException notLoaded = assertThrows(IllegalStateException.class,
                () -> start(ServeOptions.defaults(models).withPort(0)));
        assertTrue(notLoaded.getMessage().contains("'broken'") && notLoaded.getMessage().contains("weights.safetensors"),
                notLoaded.getMessage());

        IllegalArgumentException option = assertThrows(IllegalArgumentException.class,
                () -> ServeOptions.defaults(models).withBatching(0, 5, 64));
        assertTrue(option.getMessage().contains("--max-batch"), option.getMessage());
        IllegalArgumentException lanes = assertThrows(IllegalArgumentException.class,
                () -> start(ServeOptions.defaults(models).withPort(0).withLanes(dev.aand.engine.OfflineEngine.threads() + 1)));
        assertTrue(lanes.getMessage().contains("--lanes") && lanes.getMessage().contains("engine threads"), lanes.getMessage());
        assertEquals(32L << 20, ServeOptions.defaults(models).maxBodyBytes(), "32 MiB body limit by default");
        Path emptyKey = Files.writeString(dir.resolve("key"), " \n");
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                () -> start(ServeOptions.defaults(models).withPort(0).withApiKeyFile(emptyKey)));
        assertTrue(key.getMessage().contains("empty"), key.getMessage());
    }
}
