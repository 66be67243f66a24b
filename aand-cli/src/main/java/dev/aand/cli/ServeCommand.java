package dev.aand.cli;

import dev.aand.serve.InspectionServer;
import dev.aand.serve.ServeOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "HTTP inspection service for the models in a folder: POST /v1/models/{name}/predict with "
                + "dynamic micro-batching, reload, health, Prometheus metrics and /openapi.json.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--models", required = true, paramLabel = "DIR",
            description = "Folder with one trained model folder per subfolder; the subfolder's name is the model's.")
    Path models;
    @Option(names = "--host", defaultValue = ServeOptions.DEFAULT_HOST, description = "Default: ${DEFAULT-VALUE}.")
    String host;
    @Option(names = "--port", defaultValue = "" + ServeOptions.DEFAULT_PORT, description = "Default: ${DEFAULT-VALUE}; 0 picks a free port.")
    int port;
    @Option(names = "--max-batch", defaultValue = "" + ServeOptions.DEFAULT_MAX_BATCH,
            description = "Most images in one engine batch (default: ${DEFAULT-VALUE}).")
    int maxBatch;
    @Option(names = "--max-wait-ms", defaultValue = "" + ServeOptions.DEFAULT_MAX_WAIT_MS,
            description = "Longest a batch waits for another image after its last one joined (default: ${DEFAULT-VALUE});"
                    + " images already being decoded are waited for up to a tenth of the last batch's engine time when longer.")
    int maxWaitMs;
    @Option(names = "--queue", defaultValue = "" + ServeOptions.DEFAULT_QUEUE,
            description = "Images admitted per model and not yet in a batch; beyond it requests get 503 (default: ${DEFAULT-VALUE}).")
    int queue;
    @Option(names = "--api-key-file", paramLabel = "FILE",
            description = "Require this key (the file's content, trimmed) as 'Authorization: Bearer KEY' or 'X-API-Key: KEY' on /v1 and /metrics.")
    Path apiKeyFile;
    @Option(names = "--max-body-bytes", defaultValue = "" + ServeOptions.DEFAULT_MAX_BODY_BYTES,
            description = "Largest request body (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;
    @Option(names = "--max-pixels", defaultValue = "" + ServeOptions.DEFAULT_MAX_PIXELS,
            description = "Largest image, width x height (default: ${DEFAULT-VALUE}).")
    long maxPixels;
    @Option(names = "--drain-seconds", defaultValue = "" + ServeOptions.DEFAULT_DRAIN_SECONDS,
            description = "On SIGTERM/SIGINT, how long in-flight requests may take to finish (default: ${DEFAULT-VALUE}).")
    int drainSeconds;
    @Option(names = "--lanes", defaultValue = "auto", converter = LanesConverter.class,
            description = "Batches of one model that run side by side, each on an equal share of the engine's threads"
                    + " (default: ${DEFAULT-VALUE}: at start, each model is timed on a lone image on each share, and"
                    + " the lane count that scores the most images per second with every lane busy is used)."
                    + " With more than one lane, a lone image is scored on all the threads by a solo lane, which"
                    + " holds a second instance of the model; measure with scripts/load-test.sh --lanes.")
    int lanes;

    /** "auto" or a lane count. */
    static final class LanesConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            if (value.equals("auto")) {
                return ServeOptions.AUTO_LANES;
            }
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is neither auto nor a whole number");
            }
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        ServeOptions options = new ServeOptions(models, host, port, maxBatch, maxWaitMs, queue, apiKeyFile, maxBodyBytes,
                maxPixels, drainSeconds, lanes);
        CountDownLatch stop = new CountDownLatch(1);
        // Our own handlers replace the JVM's (which would exit 143): drain, then exit 0.
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        InspectionServer server = InspectionServer.start(options, System.err::println);
        stop.await();
        System.err.println("stopping: no new connections; draining in-flight requests (up to " + drainSeconds + " s)");
        boolean clean = server.stop(Duration.ofSeconds(drainSeconds));
        System.err.println(clean ? "stopped" : "stopped (drain deadline passed)");
        return 0;
    }
}
