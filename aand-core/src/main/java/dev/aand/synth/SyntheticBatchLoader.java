package dev.aand.synth;

import dev.aand.data.Shuffle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prepares synthetic training batches on background threads while the caller trains.
 *
 * <p>Every sample draws its randomness from a generator seeded by (seed, epoch, position in the
 * epoch) alone, and the epoch order from (seed, epoch), so the batches are identical whatever the
 * thread count or scheduling. At most {@link #PREFETCH} batches beyond the one being consumed are
 * in preparation.
 */
public final class SyntheticBatchLoader implements AutoCloseable {
    /** Batches prepared ahead of the consumer. */
    public static final int PREFETCH = 2;

    private static final long ORDER_STREAM = -1;

    private final List<float[]> images;
    private final List<float[]> foregrounds;
    private final Sampler sampler;
    private final int size;
    private final int batchSize;
    private final long seed;
    private final boolean dropLast;
    private final ExecutorService pool;
    private volatile boolean closed;

    /**
     * One batch; arrays are laid out sample after sample.
     *
     * @param epoch epoch it belongs to
     * @param index batch number within the epoch
     * @param size number of samples (batchSize, or fewer for a kept last partial batch)
     * @param images float[size*3*S*S] CHW RGB in [0, 255] (not normalised)
     * @param masks float[size*S*S] synthetic anomaly masks, 0/1
     * @param foregrounds float[size*S*S] the samples' foreground masks, 0/1
     * @param anomalous per sample, whether anything was pasted
     * @param sampleIds per sample, its index in the training list
     */
    public record Batch(int epoch, int index, int size, float[] images, float[] masks,
            float[] foregrounds, boolean[] anomalous, int[] sampleIds) {}

    /**
     * @param images training images, each CHW RGB float[3*S*S] at the synthesizer's size; kept
     *     by reference and never modified
     * @param foregrounds one float[S*S] 0/1 mask per image (a null entry, or a null list, means
     *     the whole image)
     * @param threads worker threads (at least 1)
     * @param dropLast whether an incomplete final batch is dropped
     */
    public SyntheticBatchLoader(List<float[]> images, List<float[]> foregrounds,
            AnomalySynthesizer synthesizer, int batchSize, long seed, int threads, boolean dropLast) {
        this(images, foregrounds, synthesizer::sample, synthesizer.size(), batchSize, seed, threads,
                dropLast);
    }

    /** What makes one sample; the seam lets tests inject failures. */
    interface Sampler {
        Synthetic sample(float[] image, float[] foreground, SplittableRandom rng);
    }

    SyntheticBatchLoader(List<float[]> images, List<float[]> foregrounds, Sampler sampler, int s,
            int batchSize, long seed, int threads, boolean dropLast) {
        if (images.isEmpty()) throw new IllegalArgumentException("no training images to synthesise from");
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        if (threads < 1) throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        if (foregrounds != null && foregrounds.size() != images.size()) {
            throw new IllegalArgumentException("got " + images.size() + " training images but "
                    + foregrounds.size() + " foreground masks");
        }
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i) == null || images.get(i).length != 3 * s * s) {
                throw new IllegalArgumentException("training image " + i + " must be CHW RGB float[3*"
                        + s + "*" + s + "], got " + (images.get(i) == null ? "null" : images.get(i).length));
            }
            float[] fg = foregrounds == null ? null : foregrounds.get(i);
            if (fg != null && fg.length != s * s) {
                throw new IllegalArgumentException("foreground mask " + i + " must be float[" + s + "*"
                        + s + "], got " + fg.length);
            }
        }
        if (dropLast && images.size() < batchSize) {
            throw new IllegalArgumentException("drop-last with batch size " + batchSize
                    + " leaves no batch from " + images.size() + " training images");
        }
        this.images = List.copyOf(images);
        this.foregrounds = foregrounds == null ? null : new ArrayList<>(foregrounds);
        this.sampler = sampler;
        this.size = s;
        this.batchSize = batchSize;
        this.seed = seed;
        this.dropLast = dropLast;
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "aand-synth-" + count.incrementAndGet());
            t.setDaemon(true); // never keep the JVM alive for prefetching
            return t;
        };
        this.pool = Executors.newFixedThreadPool(threads, factory);
    }

    /** Batches per epoch. */
    public int batchesPerEpoch() {
        int n = images.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The epoch's sample order: a permutation of 0..n-1 depending only on (seed, epoch). */
    public int[] order(int epoch) {
        return Shuffle.permutation(images.size(), new SplittableRandom(Seeds.derive(seed, epoch, ORDER_STREAM)));
    }

    /**
     * Starts preparing the epoch's batches and returns them in order. Closing the iterator
     * cancels work not yet consumed. A failure in a worker is rethrown from {@code next()} as an
     * {@link IllegalStateException} whose cause is the worker's exception.
     */
    public Epoch epoch(int epoch) {
        if (closed) throw new IllegalStateException("batch loader is closed");
        return new Epoch(epoch);
    }

    /** Stops the workers; pending batches are abandoned. */
    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
    }

    /** The batches of one epoch, produced ahead of consumption. */
    public final class Epoch implements Iterator<Batch>, AutoCloseable {
        private final int epoch;
        private final int[] order;
        private final int batches;
        private final ArrayDeque<Pending> pending = new ArrayDeque<>();
        private int submitted;
        private int delivered;

        private Epoch(int epoch) {
            this.epoch = epoch;
            this.order = order(epoch);
            this.batches = batchesPerEpoch();
            while (submitted < batches && pending.size() < PREFETCH + 1) submitNext();
        }

        @Override
        public boolean hasNext() {
            return delivered < batches;
        }

        @Override
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException("epoch " + epoch + " has " + batches + " batches");
            if (closed) throw new IllegalStateException("batch loader is closed");
            Pending p = pending.removeFirst();
            for (int k = 0; k < p.work.size(); k++) {
                try {
                    p.work.get(k).get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw new IllegalStateException("interrupted while waiting for batch " + p.batch.index()
                            + " of epoch " + epoch, e);
                } catch (ExecutionException e) {
                    close();
                    throw new IllegalStateException("synthesis failed for sample "
                            + p.batch.sampleIds()[k] + " (batch " + p.batch.index() + ", epoch " + epoch
                            + "): " + e.getCause(), e.getCause());
                } catch (CancellationException e) {
                    throw new IllegalStateException("batch " + p.batch.index() + " of epoch " + epoch
                            + " was cancelled (loader closed)", e);
                }
            }
            delivered++;
            if (submitted < batches) submitNext();
            return p.batch;
        }

        /** Cancels the batches still in preparation. */
        @Override
        public void close() {
            for (Pending p : pending) {
                for (Future<?> f : p.work) f.cancel(true);
            }
            pending.clear();
            delivered = batches;
        }

        private void submitNext() {
            int b = submitted++;
            int start = b * batchSize;
            int count = Math.min(batchSize, images.size() - start);
            int px = size * size;
            Batch batch = new Batch(epoch, b, count, new float[count * 3 * px], new float[count * px],
                    new float[count * px], new boolean[count], new int[count]);
            List<Future<?>> work = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                int slot = k;
                int position = start + k;
                int id = order[position];
                batch.sampleIds()[slot] = id;
                // Each task writes only its own slot; Future.get() publishes the writes.
                work.add(pool.submit(() -> {
                    SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, epoch, position));
                    float[] fg = foregrounds == null ? null : foregrounds.get(id);
                    Synthetic out = sampler.sample(images.get(id), fg, rng);
                    System.arraycopy(out.image(), 0, batch.images(), slot * 3 * px, 3 * px);
                    System.arraycopy(out.mask(), 0, batch.masks(), slot * px, px);
                    if (fg == null) {
                        java.util.Arrays.fill(batch.foregrounds(), slot * px, (slot + 1) * px, 1f);
                    } else {
                        System.arraycopy(fg, 0, batch.foregrounds(), slot * px, px);
                    }
                    batch.anomalous()[slot] = out.anomalous();
                    return null;
                }));
            }
            pending.addLast(new Pending(batch, work));
        }
    }

    private record Pending(Batch batch, List<Future<?>> work) {}
}
