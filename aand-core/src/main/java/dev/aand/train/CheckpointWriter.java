package dev.aand.train;

import dev.aand.config.AandConfig;
import dev.aand.io.HaltPoint;
import dev.aand.model.AandModel;
import dev.aand.nn.StateDicts;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.DoubleFunction;

/**
 * Saves a checkpoint after every epoch without holding training up for the disk: the training
 * thread only copies the tensors to the host; writing and syncing (seconds for a few hundred MB)
 * happen on a background thread while the next epoch trains. At most one write is in flight: the
 * next save first waits for it. Each finished write is reported with what it cost.
 */
final class CheckpointWriter implements AutoCloseable {
    private final Path file;
    private final AandConfig config;
    private final String data;
    private final int images;
    private final TrainingListener listener;
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "aand-checkpoint");
        t.setDaemon(true);
        return t;
    });
    private Future<Double> pending;
    private DoubleFunction<String> pendingReport;

    CheckpointWriter(Path file, AandConfig config, String data, int images, TrainingListener listener) {
        this.file = file;
        this.config = config;
        this.data = data;
        this.images = images;
        this.listener = listener;
        if (HaltPoint.armed()) {
            HaltPoint.beforeStepHalt(this::awaitWrite);
        }
    }

    /** Snapshots the run after {@code log}'s epoch and starts writing it. */
    void save(EpochLog log, AandModel model, Adam adam, List<EpochLog> logs) {
        long t0 = System.nanoTime();
        finish();
        long t1 = System.nanoTime();
        TrainingCheckpoint c = new TrainingCheckpoint(log.stage(), log.epoch() + 1, config, data, images,
                Version.get(), List.copyOf(logs), StateDicts.toHost(model.stateDict()), adam.state());
        long t2 = System.nanoTime();
        long bytes = c.model().values().stream().mapToLong(t -> t.data().length).sum()
                + c.optimizer().moments().values().stream().mapToLong(t -> t.data().length).sum();
        pending = io.submit(() -> {
            long s = System.nanoTime();
            c.write(file);
            return (System.nanoTime() - s) / 1e9;
        });
        double paused = (t2 - t0) / 1e9;
        String cost = String.format(Locale.ROOT, "checkpoint after %s epoch %d: %.0f MB, training paused %.2f s"
                + " (snapshot %.2f s, waiting for the previous write %.2f s) = %.1f%% of the epoch's %.2f s",
                log.stage(), log.epoch() + 1, bytes / 1e6, paused, (t2 - t1) / 1e9, (t1 - t0) / 1e9,
                100 * paused / log.seconds(), log.seconds());
        pendingReport = seconds -> cost + String.format(Locale.ROOT, "; written in the background in %.2f s", seconds);
    }

    /** Waits until the last checkpoint is on disk and reports it; rethrows a failed write. */
    void finish() {
        if (pending == null) {
            return;
        }
        try {
            double seconds = pending.get();
            listener.onMessage(pendingReport.apply(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing checkpoint " + file, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r
                    : new IllegalStateException("could not write checkpoint " + file + ": " + cause, cause);
        } finally {
            pending = null;
        }
    }

    /** Lets a write in flight complete (a checkpoint is never left half-renamed) and stops the thread. */
    @Override
    public void close() {
        io.shutdown();
        awaitWrite();
    }

    private void awaitWrite() {
        Future<Double> p = pending;
        try {
            if (p != null) {
                p.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // Training already failed or finish() reports it; the previous checkpoint still stands.
        }
    }
}
