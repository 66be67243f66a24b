package dev.aand.serve;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How {@code aand serve} runs. The defaults live here (the command line reads them from these
 * constants).
 *
 * @param modelsDir folder with one trained model folder per subfolder; the subfolder's name is the model's
 * @param host address to listen on
 * @param port TCP port; 0 picks a free one
 * @param maxBatch most images in one engine batch
 * @param maxWaitMs longest a batch waits for another image after its last one joined
 * @param queue most images admitted per model and not yet in a batch; more are refused with 503
 * @param apiKeyFile file holding the API key (trimmed); null: no key required
 * @param maxBodyBytes largest request body accepted
 * @param maxPixels largest image (width * height) decoded
 * @param drainSeconds how long a shutdown waits for in-flight requests
 * @param lanes batches of one model that run side by side, each on an equal share of the engine's
 *     threads (see {@code EngineThreads}); {@link #AUTO_LANES}: chosen at start by timing each model
 *     (see {@code LaneChoice})
 */
public record ServeOptions(Path modelsDir, String host, int port, int maxBatch, int maxWaitMs, int queue,
        Path apiKeyFile, long maxBodyBytes, long maxPixels, int drainSeconds, int lanes) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BATCH = 8;
    public static final int DEFAULT_MAX_WAIT_MS = 5;
    public static final int DEFAULT_QUEUE = 64;
    public static final long DEFAULT_MAX_BODY_BYTES = 32L << 20;
    /** 4096 x 4096: room for industrial cameras, bounded memory per queued image. */
    public static final long DEFAULT_MAX_PIXELS = 4096L * 4096L;
    public static final int DEFAULT_DRAIN_SECONDS = 30;
    /** {@code --lanes auto}: as many lanes as keep a lone image's latency on target (README, "Serve"). */
    public static final int AUTO_LANES = 0;
    public static final int DEFAULT_LANES = AUTO_LANES;

    public ServeOptions {
        if (modelsDir == null || !Files.isDirectory(modelsDir)) {
            throw new IllegalArgumentException("--models " + modelsDir + ": no such folder");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        require(port >= 0 && port <= 65535, "--port must be in 0..65535, got " + port);
        require(maxBatch >= 1 && maxBatch <= 1024, "--max-batch must be in 1..1024, got " + maxBatch);
        require(maxWaitMs >= 0 && maxWaitMs <= 10_000, "--max-wait-ms must be in 0..10000, got " + maxWaitMs);
        require(queue >= 1 && queue <= 65_536, "--queue must be in 1..65536, got " + queue);
        require(maxBodyBytes >= 1024 && maxBodyBytes <= Integer.MAX_VALUE - 8,
                "--max-body-bytes must be in 1024.." + (Integer.MAX_VALUE - 8) + ", got " + maxBodyBytes);
        require(maxPixels >= 1 && maxPixels <= Integer.MAX_VALUE / 4,
                "--max-pixels must be in 1.." + Integer.MAX_VALUE / 4 + ", got " + maxPixels);
        require(drainSeconds >= 0 && drainSeconds <= 3600, "--drain-seconds must be in 0..3600, got " + drainSeconds);
        require(lanes == AUTO_LANES || lanes >= 1 && lanes <= 64, "--lanes must be auto or in 1..64, got " + lanes);
        if (apiKeyFile != null && !Files.isRegularFile(apiKeyFile)) {
            throw new IllegalArgumentException("--api-key-file " + apiKeyFile + ": no such file");
        }
    }

    /** The defaults for everything but the models folder. */
    public static ServeOptions defaults(Path modelsDir) {
        return new ServeOptions(modelsDir, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BATCH, DEFAULT_MAX_WAIT_MS,
                DEFAULT_QUEUE, null, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_PIXELS, DEFAULT_DRAIN_SECONDS, DEFAULT_LANES);
    }

    public ServeOptions withPort(int p) {
        return new ServeOptions(modelsDir, host, p, maxBatch, maxWaitMs, queue, apiKeyFile, maxBodyBytes, maxPixels,
                drainSeconds, lanes);
    }

    public ServeOptions withBatching(int batch, int waitMs, int queueSize) {
        return new ServeOptions(modelsDir, host, port, batch, waitMs, queueSize, apiKeyFile, maxBodyBytes, maxPixels,
                drainSeconds, lanes);
    }

    public ServeOptions withLimits(long bodyBytes, long pixels) {
        return new ServeOptions(modelsDir, host, port, maxBatch, maxWaitMs, queue, apiKeyFile, bodyBytes, pixels,
                drainSeconds, lanes);
    }

    public ServeOptions withApiKeyFile(Path file) {
        return new ServeOptions(modelsDir, host, port, maxBatch, maxWaitMs, queue, file, maxBodyBytes, maxPixels,
                drainSeconds, lanes);
    }

    public ServeOptions withDrainSeconds(int seconds) {
        return new ServeOptions(modelsDir, host, port, maxBatch, maxWaitMs, queue, apiKeyFile, maxBodyBytes, maxPixels,
                seconds, lanes);
    }

    public ServeOptions withLanes(int n) {
        return new ServeOptions(modelsDir, host, port, maxBatch, maxWaitMs, queue, apiKeyFile, maxBodyBytes, maxPixels,
                drainSeconds, n);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
