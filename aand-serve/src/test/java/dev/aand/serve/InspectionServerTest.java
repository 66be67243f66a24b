package dev.aand.serve;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.aand.api.Aand;
import dev.aand.api.AnomalyMask;
import dev.aand.api.AnomalyResult;
import dev.aand.data.ImageLoader;
import dev.aand.testing.HostileFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service over real HTTP on a loopback port: every endpoint, every refusal, and the scores of
 * the library's Predictor. Two models ({@code cookie} and {@code second}) and an API key.
 */
class InspectionServerTest {
    static final String KEY = "s3cret-key";
    static final long MAX_BODY = 1 << 20;
    static final long MAX_PIXELS = 1_000_000;
    @TempDir
    static Path dir;
    static InspectionServer server;
    static Http http;
    static List<byte[]> jpegs = new ArrayList<>();
    /** The library's own single-image scores of the test photos by model a. */
    static double[] expected;

    @BeforeAll
    static void start() throws Exception {
        Path models = dir.resolve("models");
        TinyModels.copy(TinyModels.a(), models.resolve("cookie"));
        TinyModels.copy(TinyModels.b(), models.resolve("second"));
        Files.createDirectories(models.resolve(".cookie.tmp-123")); // a model being written: passed over
        Files.writeString(models.resolve("README.txt"), "not a model");
        Path keyFile = dir.resolve("key.txt");
        Files.writeString(keyFile, "  " + KEY + "\n");
        // Two lanes where the machine has two engine threads, so that concurrent batches are covered.
        int lanes = Math.min(2, dev.aand.engine.OfflineEngine.threads());
        ServeOptions o = ServeOptions.defaults(models).withPort(0).withLimits(MAX_BODY, MAX_PIXELS).withApiKeyFile(keyFile)
                .withLanes(lanes);
        server = InspectionServer.start(o, s -> {});
        http = new Http(server.port(), KEY);
        for (Path p : TinyModels.images()) {
            jpegs.add(Files.readAllBytes(p));
        }
        expected = singleScores(TinyModels.a(), TinyModels.images());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            assertTrue(server.stop(java.time.Duration.ofSeconds(5)));
        }
    }

    /** Each image alone through the library's DJL Predictor (as {@code aand predict --batch-size 1} does). */
    static double[] singleScores(Path model, List<Path> images) throws Exception {
        double[] s = new double[images.size()];
        try (ZooModel<Image, AnomalyResult> zoo = Aand.criteria(model).loadModel();
                Predictor<Image, AnomalyResult> p = zoo.newPredictor()) {
            for (int i = 0; i < s.length; i++) {
                s[i] = p.predict(ImageFactory.getInstance().fromImage(ImageLoader.decode(images.get(i)))).score();
            }
        }
        return s;
    }

    static String predictPath(String model) {
        return "/v1/models/" + model + "/predict";
    }

    static void assertError(HttpResponse<String> r, int status, String code, String inMessage) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        JsonObject e = Http.json(r);
        assertEquals(status, e.get("status").getAsInt());
        assertEquals(code, e.get("error").getAsString(), r.body());
        assertTrue(e.get("message").getAsString().contains(inMessage), r.body());
    }

    static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), format);
        return out.toByteArray();
    }

    @Test
    void healthOpenapiAndModels() {
        Http anonymous = new Http(server.port(), null);
        HttpResponse<String> live = anonymous.get("/health/live");
        assertEquals(200, live.statusCode());
        assertEquals("live", Http.json(live).get("status").getAsString());
        HttpResponse<String> ready = anonymous.get("/health/ready");
        assertEquals(200, ready.statusCode());
        assertEquals("[\"cookie\",\"second\"]", Http.json(ready).get("models").toString());

        JsonObject api = Http.json(anonymous.get("/openapi.json"));
        assertTrue(api.get("openapi").getAsString().startsWith("3."));
        JsonObject paths = api.getAsJsonObject("paths");
        assertEquals(Set.of("/v1/models/{name}/predict", "/v1/models", "/v1/models/{name}/reload", "/health/live",
                "/health/ready", "/metrics", "/openapi.json"), paths.keySet());
        Set<String> predictStatuses = paths.getAsJsonObject("/v1/models/{name}/predict").getAsJsonObject("post")
                .getAsJsonObject("responses").keySet();
        assertTrue(predictStatuses.containsAll(Set.of("200", "400", "401", "404", "413", "415", "422", "503")),
                predictStatuses.toString());

        HttpResponse<String> r = http.get("/v1/models");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject body = Http.json(r);
        JsonArray models = body.getAsJsonArray("models");
        assertEquals(2, models.size());
        JsonObject cookie = models.get(0).getAsJsonObject();
        assertEquals("cookie", cookie.get("name").getAsString());
        assertEquals(ServedModel.sha256(TinyModels.a().resolve("weights.safetensors")),
                cookie.get("model_version").getAsString());
        assertEquals(32, cookie.get("image_size").getAsInt());
        assertEquals(32, cookie.getAsJsonObject("config").get("imageSize").getAsInt());
        assertEquals("mvtec", cookie.getAsJsonObject("provenance").get("dataset").getAsString());
        assertEquals("aand", cookie.get("method").getAsString());
        assertNotEquals(cookie.get("model_version"), models.get(1).getAsJsonObject().get("model_version"));
        assertEquals(8, body.getAsJsonObject("serving").get("max_batch").getAsInt());
        assertEquals(Math.min(2, dev.aand.engine.OfflineEngine.threads()), body.getAsJsonObject("serving").get("lanes").getAsInt());
    }

    @Test
    void rawImagesScoreLikeThePredictor() throws Exception {
        String solo = "aand_batch_seconds_count{lane=\"solo\",model=\"cookie\"}";
        // The solo lane checked the model at load, so its series exists from the start.
        double soloBefore = server.engine.hasSoloLane() ? metric(http.get("/metrics").body(), solo) : 0;
        for (int i = 0; i < jpegs.size(); i++) {
            HttpResponse<String> r = http.post(predictPath("cookie"), "image/jpeg", jpegs.get(i));
            assertEquals(200, r.statusCode(), r.body());
            JsonObject o = Http.json(r);
            assertEquals("cookie", o.get("model").getAsString());
            assertEquals(ServedModel.sha256(TinyModels.a().resolve("weights.safetensors")), o.get("model_version").getAsString());
            assertEquals(expected[i], o.get("score").getAsDouble(), 0.0, "image " + i);
            double t = o.get("threshold").getAsDouble();
            assertEquals(o.get("score").getAsDouble() >= t, o.get("anomalous").getAsBoolean());
            assertTrue(o.get("latency_ms").getAsDouble() > 0);
            assertFalse(o.has("heatmap_png"));
        }
        if (server.engine.hasSoloLane()) {
            // One client at a time: every image is alone, so the solo lane scores it on all threads.
            assertEquals(soloBefore + jpegs.size(), metric(http.get("/metrics").body(), solo));
        }
        // The same pixels as PNG, BMP and TIFF give the same score as each other.
        BufferedImage picture = ImageLoader.decode(TinyModels.images().get(0));
        double png = Double.NaN;
        for (String[] f : new String[][] {{"png", "image/png"}, {"bmp", "image/bmp"}, {"tiff", "image/tiff"}}) {
            HttpResponse<String> r = http.post(predictPath("cookie"), f[1], encode(picture, f[0]));
            assertEquals(200, r.statusCode(), f[0] + ": " + r.body());
            double s = Http.json(r).get("score").getAsDouble();
            if (Double.isNaN(png)) {
                png = s;
            }
            assertEquals(png, s, 0.0, f[0]);
        }
        assertEquals(expected[0], png, 0.0, "lossless copy of the same JPEG decode");
    }

    @Test
    void heatmapAndMaskAreAtTheInputSize() throws Exception {
        Path image = TinyModels.images().get(TinyModels.images().size() - 1);
        HttpResponse<String> r = http.post(predictPath("cookie") + "?heatmap=png&mask=png", "image/jpeg",
                Files.readAllBytes(image));
        assertEquals(200, r.statusCode(), r.body());
        JsonObject o = Http.json(r);
        int[] wh = ImageLoader.dimensions(image);
        assertEquals(wh[0], o.get("width").getAsInt());
        assertEquals(wh[1], o.get("height").getAsInt());
        BufferedImage heat = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(o.get("heatmap_png").getAsString())));
        BufferedImage mask = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(o.get("mask_png").getAsString())));
        assertEquals(wh[0], heat.getWidth());
        assertEquals(wh[1], heat.getHeight());
        assertEquals(wh[0], mask.getWidth());
        assertEquals(wh[1], mask.getHeight());
        // The mask is the library's own: white exactly where its mask is set.
        try (ZooModel<Image, AnomalyResult> zoo = Aand.criteria(TinyModels.a()).loadModel();
                Predictor<Image, AnomalyResult> p = zoo.newPredictor()) {
            AnomalyMask expectedMask = p.predict(ImageFactory.getInstance().fromImage(ImageLoader.decode(image))).mask();
            long on = 0;
            for (int y = 0; y < wh[1]; y++) {
                for (int x = 0; x < wh[0]; x++) {
                    int rgb = mask.getRGB(x, y) & 0xffffff;
                    assertTrue(rgb == 0xffffff || rgb == 0, "binary mask");
                    if (expectedMask.get(x, y) != (rgb == 0xffffff)) {
                        fail("mask differs at " + x + "," + y);
                    }
                    on += rgb == 0xffffff ? 1 : 0;
                }
            }
            assertEquals(expectedMask.area(), on);
        }
    }

    @Test
    void multipartScoresSeveralImagesInOrder() {
        List<Http.Part> parts = new ArrayList<>();
        for (int i = 0; i < jpegs.size(); i++) {
            parts.add(new Http.Part("image" + i, "photo" + i + ".jpg", i % 2 == 0 ? "image/jpeg" : "application/octet-stream",
                    jpegs.get(i)));
        }
        HttpResponse<String> r = http.multipart(predictPath("cookie") + "?mask=png", parts);
        assertEquals(200, r.statusCode(), r.body());
        JsonArray results = Http.json(r).getAsJsonArray("results");
        assertEquals(jpegs.size(), results.size());
        for (int i = 0; i < results.size(); i++) {
            JsonObject o = results.get(i).getAsJsonObject();
            assertEquals("image" + i, o.get("part").getAsString());
            assertEquals("photo" + i + ".jpg", o.get("filename").getAsString());
            // One engine batch of 6 vs. six batches of 1: libtorch's kernels may differ in the last bits.
            assertEquals(expected[i], o.get("score").getAsDouble(), ScoreTolerance.ACROSS_BATCH_SIZES, "image " + i);
            assertTrue(o.has("mask_png"));
        }
    }

    @Test
    void everyRefusalNamesItsProblem() throws Exception {
        byte[] jpeg = jpegs.get(0);
        assertError(http.post(predictPath("nope"), "image/jpeg", jpeg), 404, "unknown_model", "nope");
        assertError(http.post("/v1/models/nope/reload", null, new byte[0]), 404, "unknown_model", "nope");
        assertError(http.post(predictPath("cookie"), "text/plain", "hello".getBytes(StandardCharsets.UTF_8)), 415,
                "unsupported_media_type", "text/plain");
        assertError(http.post(predictPath("cookie"), null, jpeg), 415, "unsupported_media_type", "Content-Type");
        assertError(http.multipart(predictPath("cookie"), List.of(new Http.Part("note", null, "text/plain",
                "hi".getBytes(StandardCharsets.UTF_8)))), 415, "unsupported_media_type", "part 'note'");
        assertError(http.post(predictPath("cookie"), "image/png", new byte[0]), 400, "empty_body", "empty");
        assertError(http.post(predictPath("cookie") + "?heatmap=jpeg", "image/jpeg", jpeg), 400, "bad_parameter", "heatmap=jpeg");
        assertError(http.post(predictPath("cookie"), "multipart/form-data; boundary=xyz",
                "garbage".getBytes(StandardCharsets.UTF_8)), 400, "bad_multipart", "multipart");

        // Over the body limit: declared length, a chunked body, a multipart body.
        byte[] big = new byte[(int) MAX_BODY + 1];
        System.arraycopy(jpeg, 0, big, 0, jpeg.length);
        assertError(http.post(predictPath("cookie"), "image/jpeg", big), 413, "payload_too_large", "" + MAX_BODY);
        HttpRequest chunked = http.request(predictPath("cookie")).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        assertError(Http.send(chunked), 413, "payload_too_large", "" + MAX_BODY);
        assertError(http.multipart(predictPath("cookie"), List.of(new Http.Part("a", "a.jpg", "image/jpeg", big))), 413,
                "payload_too_large", "" + MAX_BODY);
        List<Http.Part> tooMany = new ArrayList<>();
        for (int i = 0; i <= ServeOptions.DEFAULT_QUEUE; i++) {
            tooMany.add(new Http.Part("p" + i, "p.bmp", "image/bmp", new byte[] {1}));
        }
        assertError(http.multipart(predictPath("cookie"), tooMany), 413, "too_many_images", "" + ServeOptions.DEFAULT_QUEUE);

        // Undecodable, truncated, and a header promising more pixels than the budget (never allocated).
        byte[] noise = new byte[5000];
        new java.util.Random(3).nextBytes(noise);
        assertError(http.post(predictPath("cookie"), "image/png", noise), 422, "undecodable_image", "request body");
        assertError(http.post(predictPath("cookie"), "image/jpeg", java.util.Arrays.copyOf(jpeg, jpeg.length / 2)), 422,
                "undecodable_image", "request body");
        assertError(http.post(predictPath("cookie"), "image/png", HostileFiles.pngHeader(100_000, 100_000)), 422, "image_too_large",
                "100000x100000");
        assertError(http.post(predictPath("cookie"), "image/png", HostileFiles.pngHeader(1001, 1000)), 422, "image_too_large",
                "" + MAX_PIXELS);

        // API key: missing, wrong; Bearer and X-API-Key both work; health and the document stay open.
        Http anonymous = new Http(server.port(), null);
        HttpResponse<String> missing = anonymous.post(predictPath("cookie"), "image/jpeg", jpeg);
        assertError(missing, 401, "unauthorized", "missing API key");
        assertEquals("Bearer", missing.headers().firstValue("WWW-Authenticate").orElse(""));
        assertError(new Http(server.port(), "wrong").post(predictPath("cookie"), "image/jpeg", jpeg), 401, "unauthorized", "wrong");
        assertError(anonymous.get("/v1/models"), 401, "unauthorized", "missing");
        assertError(anonymous.get("/metrics"), 401, "unauthorized", "missing");
        HttpResponse<String> viaHeader = Http.send(anonymous.request(predictPath("cookie")).header("X-API-Key", KEY)
                .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(jpeg)).build());
        assertEquals(200, viaHeader.statusCode(), viaHeader.body());
        assertError(Http.send(anonymous.request(predictPath("cookie")).header("X-API-Key", KEY + "x")
                .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(jpeg)).build()),
                401, "unauthorized", "wrong");

        // Unknown routes and methods are JSON too; after all of it the service still scores.
        assertEquals(404, http.get("/v2/nothing").statusCode());
        assertEquals(405, http.get(predictPath("cookie")).statusCode());
        HttpResponse<String> ok = http.post(predictPath("cookie"), "image/jpeg", jpeg);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(expected[0], Http.json(ok).get("score").getAsDouble(), 0.0);
    }

    @Test
    void sixteenConcurrentClientsGetTheSingleRequestScores() throws Exception {
        int clients = 16;
        int rounds = 4;
        // Native memory: the model's NDArrays (its manager and every predictor's) before and after.
        ai.djl.ndarray.NDManager modelArrays = server.worker("cookie").current().zoo.getNDManager();
        int arraysBefore = modelArrays.getManagedArrays().size();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<double[]>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    double[] diffs = new double[rounds];
                    for (int k = 0; k < rounds; k++) {
                        int i = (client + k) % jpegs.size();
                        HttpResponse<String> r = http.post(predictPath("cookie"), "image/jpeg", jpegs.get(i));
                        assertEquals(200, r.statusCode(), r.body());
                        diffs[k] = Math.abs(Http.json(r).get("score").getAsDouble() - expected[i]);
                    }
                    return diffs;
                }));
            }
            double worst = 0;
            for (Future<double[]> f : futures) {
                for (double d : f.get()) {
                    worst = Math.max(worst, d);
                }
            }
            System.out.println("16 concurrent clients: largest |score - single-request score| = " + worst);
            assertTrue(worst <= ScoreTolerance.ACROSS_BATCH_SIZES, "worst difference " + worst);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(arraysBefore, modelArrays.getManagedArrays().size(), "every request's NDArrays were freed");
        // They were batched: some engine batch held more than one image.
        String metrics = http.get("/metrics").body();
        double batches = metric(metrics, "aand_batch_size_images_count{model=\"cookie\"}");
        double images = metric(metrics, "aand_batch_size_images_sum{model=\"cookie\"}");
        assertTrue(images > batches, "images " + images + " in " + batches + " batches");
    }

    @Test
    void oneSoloLaneServesEveryModel() {
        boolean solo = server.engine.hasSoloLane();
        // One thread for the whole server: each thread that ran libtorch on several threads keeps an
        // OpenMP pool, and more pooled workers than cores slow every batch (see SoloLane).
        long soloThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().endsWith("-solo")).count();
        assertEquals(solo ? 1 : 0, soloThreads);
        // Lone images of either model: on the solo lane where there is one.
        for (String model : List.of("second", "cookie", "second")) {
            String series = "aand_batch_seconds_count{lane=\"" + (solo ? "solo" : "shared") + "\",model=\"" + model + "\"}";
            double before = metric(http.get("/metrics").body(), series);
            HttpResponse<String> r = http.post(predictPath(model), "image/jpeg", jpegs.get(2));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(before + 1, metric(http.get("/metrics").body(), series), model);
        }
    }

    @Test
    void metricsCountRequestsByModelAndStatus() {
        http.post(predictPath("second"), "image/jpeg", jpegs.get(1));
        http.post(predictPath("second"), "text/plain", new byte[] {1});
        http.post(predictPath("missing"), "image/jpeg", jpegs.get(1));
        HttpResponse<String> r = http.get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String m = r.body();
        assertTrue(metric(m, "aand_requests_seconds_count{model=\"second\",status=\"200\"}") >= 1, m);
        assertTrue(metric(m, "aand_requests_seconds_count{model=\"second\",status=\"415\"}") >= 1, m);
        assertTrue(metric(m, "aand_requests_seconds_count{model=\"_unknown\",status=\"404\"}") >= 1, m);
        assertTrue(m.contains("aand_requests_seconds_bucket{model=\"second\",status=\"200\",le="), "latency histogram");
        assertTrue(m.contains("aand_batch_size_images_bucket{model=\"second\",le=\"8.0\"}"), "batch-size histogram");
        assertTrue(m.contains("aand_batch_seconds_count{lane=\"solo\",model=\"second\"}")
                || m.contains("aand_batch_seconds_count{lane=\"shared\",model=\"second\"}"), "engine time per batch");
        assertEquals(0.0, metric(m, "aand_queue_depth{model=\"second\"}"));
        assertEquals(1.0, metric(m, "aand_model_load_seconds_count{model=\"second\",outcome=\"ok\"}"));
    }

    /** A metric's value from the Prometheus text, by its full name and labels. */
    static double metric(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError(series + " not in metrics");
    }

    static JsonElement parse(String s) {
        return JsonParser.parseString(s);
    }
}
