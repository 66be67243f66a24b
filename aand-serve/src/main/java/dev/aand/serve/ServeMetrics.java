package dev.aand.serve;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The service's Prometheus metrics: requests (count and latency histogram per model and status),
 * engine batch sizes and times, queue depth and model load time per model, plus JVM memory,
 * threads and CPU.
 */
final class ServeMetrics {
    /** Model label of requests for a model the service does not have. */
    static final String UNKNOWN_MODEL = "_unknown";
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final int maxBatch;

    ServeMetrics(int maxBatch) {
        this.maxBatch = maxBatch;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /** A finished predict request: {@code aand_requests_seconds{model,status}}. */
    void request(String model, int status, long nanos) {
        Timer.builder("aand.requests")
                .description("Predict requests by model and HTTP status, from arrival to response")
                .tag("model", model).tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry).record(Duration.ofNanos(nanos));
    }

    /**
     * One engine batch: {@code aand_batch_size_images{model}}, one bucket per size, and its time,
     * {@code aand_batch_seconds{model,lane}} (lane {@code solo}: a lone image on all threads, else {@code shared}).
     */
    void batch(String model, boolean solo, int images, long nanos) {
        Timer.builder("aand.batch").description("Engine time of one batch (Predictor call), by model and lane")
                .tag("model", model).tag("lane", solo ? "solo" : "shared").register(registry).record(Duration.ofNanos(nanos));
        DistributionSummary.builder("aand.batch.size").baseUnit("images")
                .description("Images per engine batch")
                .tag("model", model)
                .serviceLevelObjectives(IntStream.rangeClosed(1, maxBatch).asDoubleStream().toArray())
                .register(registry).record(images);
    }

    /** {@code aand_queue_depth{model}}: images admitted and not yet in a batch. */
    void queueDepth(String model, Supplier<Number> depth) {
        Gauge.builder("aand.queue.depth", depth).description("Images admitted and waiting for a batch")
                .tag("model", model).strongReference(true).register(registry);
    }

    /** A model (re)load, verification included: {@code aand_model_load_seconds{model,outcome}}. */
    void modelLoad(String model, boolean ok, long nanos) {
        Timer.builder("aand.model.load").description("Model load and verification time")
                .tag("model", model).tag("outcome", ok ? "ok" : "failed")
                .register(registry).record(Duration.ofNanos(nanos));
    }

    /** The Prometheus text exposition. */
    String scrape() {
        return registry.scrape();
    }

    void close() {
        registry.close();
    }
}
