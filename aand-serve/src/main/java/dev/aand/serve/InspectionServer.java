package dev.aand.serve;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.aand.engine.OfflineEngine;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinGson;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The inspection service: an HTTP server (Javalin on Jetty) in front of one {@link ModelWorker}
 * per model. Start it with {@link #start}; {@link #stop} stops accepting, lets in-flight requests
 * finish within a deadline and frees every model.
 *
 * <p>Threads: Jetty's pool reads requests; images are decoded and overlays encoded on those
 * threads, at most one per core at a time; each model's lanes ({@code --lanes}; by default as
 * many as score the most images per second, see {@link LaneChoice}) run the engine, the server's
 * one {@link SoloLane} scores a lone image of any model on all threads where a lane has fewer, and
 * all batches together use at most libtorch's intra-op threads (the number of cores), shared out by
 * {@link EngineThreads}.
 */
public final class InspectionServer implements AutoCloseable {
    private static final Pattern PREDICT = Pattern.compile("/v1/models/([^/]+)/predict");
    private static final String OPENAPI = "/dev/aand/serve/openapi.json";
    private static final int HTTP_THREADS = 64;

    private enum State { LOADING, READY, DRAINING, STOPPED }

    private final ServeOptions options;
    private final Consumer<String> log;
    private final ServeMetrics metrics;
    private final ModelRegistry registry;
    private final ApiKey apiKey;
    /** Decoding, resizing and PNG encoding: one image per core at a time. */
    private final Semaphore cpu;
    /** The engine's threads, shared by every model's lanes (tests freeze the lanes with it). */
    final EngineThreads engine;
    private final QueuedThreadPool httpThreads;
    private final Javalin app;
    private final byte[] openapi;
    private volatile State state = State.LOADING;

    private InspectionServer(ServeOptions options, Consumer<String> log) {
        this.options = options;
        this.log = log;
        int cores = Runtime.getRuntime().availableProcessors();
        List<Path> folders = ModelRegistry.discover(options.modelsDir());
        this.apiKey = options.apiKeyFile() == null ? null : ApiKey.read(options.apiKeyFile());
        this.openapi = resource(OPENAPI);
        this.metrics = new ServeMetrics(options.maxBatch());
        this.cpu = new Semaphore(cores);
        this.engine = EngineThreads.forThisProcess(lanes(options, folders, log));
        this.registry = ModelRegistry.create(folders, options, engine, metrics, log);
        this.httpThreads = new QueuedThreadPool(HTTP_THREADS, 4);
        this.httpThreads.setName("aand-http");
        Gson gson = new GsonBuilder().serializeNulls().serializeSpecialFloatingPointValues().create();
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = options.maxBodyBytes();
            config.jsonMapper(new JavalinGson(gson, false));
            config.jetty.threadPool = httpThreads;
            config.jetty.modifyServer(server -> server.setStopTimeout(Duration.ofSeconds(options.drainSeconds()).toMillis()));
            config.requestLogger.http(this::recordRequest);
        });
        routes();
    }

    /**
     * Listens on {@code options.host():options.port()}, then loads and verifies every model; returns
     * once the service is ready. {@code /health/live} answers while the models load.
     */
    public static InspectionServer start(ServeOptions options, Consumer<String> log) {
        prepareEngine();
        InspectionServer s = new InspectionServer(options, log);
        try {
            s.app.start(options.host(), options.port());
            log.accept("listening on http://" + options.host() + ":" + s.port() + " (loading "
                    + s.registry.sorted().size() + " models)");
            s.registry.loadAll(log);
        } catch (RuntimeException e) {
            s.stop(Duration.ZERO);
            throw e;
        }
        s.state = State.READY;
        log.accept("ready");
        return s;
    }

    /** The lanes asked for, or with {@code --lanes auto} the ones {@link LaneChoice} picks by timing the models. */
    private static int lanes(ServeOptions options, List<Path> folders, Consumer<String> log) {
        if (options.lanes() != ServeOptions.AUTO_LANES) {
            return options.lanes();
        }
        int budget = OfflineEngine.threads();
        LaneChoice.Result chosen = LaneChoice.measure(folders, budget);
        log.accept(chosen.describe(budget));
        return chosen.lanes();
    }

    /** libtorch's intra-op threads = cores (unless set), no inter-op pool; DJL offline; ImageIO in memory. */
    private static void prepareEngine() {
        String cores = Integer.toString(Runtime.getRuntime().availableProcessors());
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", cores);
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        // Request bodies are decoded from memory; ImageIO's default would copy each into a temp file.
        ImageIO.setUseCache(false);
        OfflineEngine.get();
    }

    /** The worker of a model (tests look inside). */
    ModelWorker worker(String name) {
        return registry.get(name);
    }

    /** The port it listens on (the chosen one when started with port 0). */
    public int port() {
        return app.port();
    }

    private void routes() {
        app.before(ctx -> {
            String path = ctx.path();
            if (apiKey != null && (path.startsWith("/v1/") || path.equals("/metrics"))) {
                apiKey.check(ctx.header("Authorization"), ctx.header("X-API-Key"));
            }
        });
        app.get("/health/live", ctx -> ctx.json(Map.of("status", "live")));
        app.get("/health/ready", this::ready);
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        app.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openapi));
        app.get("/v1/models", this::models);
        app.post("/v1/models/{name}/predict", this::predict);
        app.post("/v1/models/{name}/reload", this::reload);
        app.exception(HttpResponseException.class, (e, ctx) -> error(ctx,
                new ApiError(e.getStatus(), "http_" + e.getStatus(), e.getMessage() + " (" + ctx.method() + " " + ctx.path() + ")")));
        app.exception(Exception.class, (e, ctx) -> {
            if (e instanceof ApiError a) {
                error(ctx, a);
            } else {
                log.accept("internal error on " + ctx.method() + " " + ctx.path() + ": " + e);
                error(ctx, new ApiError(500, "internal_error", "internal error: " + e));
            }
        });
    }

    private static void error(Context ctx, ApiError e) {
        e.headers.forEach(ctx::header);
        ctx.status(e.status).json(e.body());
    }

    private void ready(Context ctx) {
        State s = state;
        if (s == State.READY) {
            ctx.json(Map.of("status", "ready", "models", registry.sorted().stream().map(w -> w.name).toList()));
        } else {
            ctx.status(503).json(Map.of("status", s.name().toLowerCase(java.util.Locale.ROOT)));
        }
    }

    private void requireReady() {
        State s = state;
        if (s != State.READY) {
            throw new ApiError(503, "not_ready", s == State.LOADING ? "the service is still loading its models"
                    : "the service is shutting down", Map.of("Retry-After", "1"));
        }
    }

    private void models(Context ctx) {
        requireReady();
        List<Map<String, Object>> list = new ArrayList<>();
        for (ModelWorker w : registry.sorted()) {
            ServedModel m = w.current();
            if (m != null) {
                list.add(m.describe());
            }
        }
        Map<String, Object> serving = new LinkedHashMap<>();
        serving.put("max_batch", options.maxBatch());
        serving.put("max_wait_ms", options.maxWaitMs());
        serving.put("lanes", engine.lanes);
        serving.put("engine_threads", engine.budget);
        serving.put("solo_lane", engine.hasSoloLane());
        serving.put("queue", options.queue());
        serving.put("max_body_bytes", options.maxBodyBytes());
        serving.put("max_pixels", options.maxPixels());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("models", list);
        body.put("serving", serving);
        ctx.json(body);
    }

    private void reload(Context ctx) {
        ModelWorker w = registry.get(ctx.pathParam("name"));
        requireReady();
        ServedModel before = w.current();
        long t0 = System.nanoTime();
        try {
            w.load();
        } catch (RuntimeException e) {
            log.accept("reload of model " + w.name + " failed: " + e.getMessage());
            throw new ApiError(409, "reload_failed", "reload of model '" + w.name + "' failed; still serving version "
                    + before.version + ": " + e.getMessage());
        }
        ServedModel now = w.current();
        log.accept("reloaded model " + w.name + ": " + before.version.substring(0, 12) + " -> " + now.version.substring(0, 12));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", w.name);
        o.put("model_version", now.version);
        o.put("previous_version", before.version);
        o.put("load_ms", Math.round((System.nanoTime() - t0) / 1e6));
        ctx.json(o);
    }

    private void predict(Context ctx) {
        long t0 = System.nanoTime();
        ModelWorker w = registry.get(ctx.pathParam("name"));
        requireReady();
        boolean heatmap = pngOption(ctx, "heatmap");
        boolean mask = pngOption(ctx, "mask");
        String type = ImageUploads.mediaType(ctx);
        ImageUploads.requireSupported(type);
        boolean multipart = ImageUploads.isMultipart(type);
        List<ImageUploads.Upload> uploads;
        ModelWorker.Ticket ticket;
        if (multipart) {
            uploads = ImageUploads.multipart(ctx, options.maxBodyBytes(), options.queue());
            ticket = w.admit(uploads.size());
        } else {
            ImageUploads.requireDeclaredLength(ctx, options.maxBodyBytes());
            ticket = w.admit(1); // before reading the body: a full queue costs the client nothing to learn
            try {
                uploads = List.of(ImageUploads.raw(ctx, options.maxBodyBytes()));
            } catch (RuntimeException | Error e) {
                ticket.cancel();
                throw e;
            }
        }
        List<BufferedImage> pictures = new ArrayList<>(uploads.size());
        List<CompletableFuture<ModelWorker.Scored>> scored;
        try {
            for (ImageUploads.Upload u : uploads) {
                pictures.add(onCpu(() -> ImageUploads.decode(u, options.maxPixels())));
            }
            scored = ticket.submit(pictures, (version, p) -> onCpu(() -> version.prepare(p)));
        } catch (RuntimeException | Error e) {
            ticket.cancel(); // the queue places go back whatever went wrong
            throw e;
        }
        ctx.future(() -> CompletableFuture.allOf(scored.toArray(CompletableFuture[]::new)).thenAcceptAsync(v -> {
            List<Map<String, Object>> results = new ArrayList<>(uploads.size());
            for (int i = 0; i < uploads.size(); i++) {
                ModelWorker.Scored s = scored.get(i).join();
                ImageUploads.Upload u = uploads.get(i);
                BufferedImage p = pictures.get(i);
                long latency = s.scoredNanos() - t0;
                results.add(heatmap || mask ? onCpu(() -> Predictions.json(u, p, s, latency, heatmap, mask))
                        : Predictions.json(u, p, s, latency, false, false));
            }
            ctx.json(multipart ? Map.of("results", results) : results.get(0));
        }, httpThreads));
    }

    /** {@code ?heatmap=png}: absent is false, "png" true, anything else a 400. */
    private static boolean pngOption(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return false;
        }
        if (!v.equals("png")) {
            throw new ApiError(400, "bad_parameter", name + "=" + v + " is not supported; the only value is 'png'");
        }
        return true;
    }

    private <T> T onCpu(java.util.function.Supplier<T> work) {
        cpu.acquireUninterruptibly();
        try {
            return work.get();
        } finally {
            cpu.release();
        }
    }

    private void recordRequest(Context ctx, Float ms) {
        if (!"POST".equals(ctx.method().name())) {
            return;
        }
        Matcher m = PREDICT.matcher(ctx.path());
        if (m.matches()) {
            String model = registry.has(m.group(1)) ? m.group(1) : ServeMetrics.UNKNOWN_MODEL;
            metrics.request(model, ctx.statusCode(), (long) (ms * 1e6));
        }
    }

    /** Stops with the configured drain deadline. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(options.drainSeconds()));
    }

    /**
     * Marks the service not ready, stops accepting connections, waits up to {@code drain} for
     * in-flight requests, then stops the workers and frees every model.
     *
     * @return true when every in-flight request finished within the deadline
     */
    public synchronized boolean stop(Duration drain) {
        if (state == State.STOPPED) {
            return true;
        }
        state = State.DRAINING;
        long t0 = System.nanoTime();
        boolean clean = true;
        try {
            app.jettyServer().server().setStopTimeout(Math.max(1, drain.toMillis()));
            app.stop();
        } catch (RuntimeException e) {
            clean = false;
            log.accept("drain deadline of " + drain.toMillis() + " ms passed; unfinished requests were cut: " + e.getMessage());
        }
        long left = Math.max(1000, drain.toMillis() - (System.nanoTime() - t0) / 1_000_000);
        registry.stop(left, log);
        metrics.close();
        state = State.STOPPED;
        return clean;
    }

    private static byte[] resource(String name) {
        try (InputStream in = InspectionServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from this build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
