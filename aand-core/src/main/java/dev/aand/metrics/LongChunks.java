package dev.aand.metrics;

import java.util.Arrays;

/**
 * Append-only store of long keys in chunks (no single huge array to re-allocate while growing), sorted
 * chunk by chunk and read back in descending order through a k-way merge. Chunk sizes double from
 * {@code firstChunk} up to {@code maxChunk}, so small inputs stay small.
 */
final class LongChunks {
    private final int maxChunk;
    private long[][] chunks = new long[4][];
    private int[] fill = new int[4];
    private boolean[] sorted = new boolean[4];
    private int nChunks;
    private int nextChunk;
    private long size;

    LongChunks(int firstChunk, int maxChunk) {
        this.nextChunk = firstChunk;
        this.maxChunk = maxChunk;
    }

    long size() {
        return size;
    }

    void add(long v) {
        int c = nChunks - 1;
        if (c < 0 || fill[c] == chunks[c].length) {
            c = newChunk();
        }
        chunks[c][fill[c]++] = v;
        sorted[c] = false;
        size++;
    }

    private int newChunk() {
        if (nChunks == chunks.length) {
            chunks = Arrays.copyOf(chunks, nChunks * 2);
            fill = Arrays.copyOf(fill, nChunks * 2);
            sorted = Arrays.copyOf(sorted, nChunks * 2);
        }
        chunks[nChunks] = new long[nextChunk];
        nextChunk = (int) Math.min((long) nextChunk * 2, maxChunk);
        return nChunks++;
    }

    /** Sorts every chunk changed since the last call; cursors are valid until the next add. */
    void sortChunks() {
        for (int c = 0; c < nChunks; c++) {
            if (!sorted[c]) {
                Arrays.parallelSort(chunks[c], 0, fill[c]);
                sorted[c] = true;
            }
        }
    }

    /** Largest-first view over all values; call {@link #sortChunks()} first. */
    Cursor descending() {
        return new Cursor();
    }

    /** Max-heap of chunks keyed by each chunk's current (largest unread) value. */
    final class Cursor {
        private final int[] pos = new int[nChunks];
        private final int[] heap = new int[nChunks];
        private int heapSize;

        private Cursor() {
            for (int c = 0; c < nChunks; c++) {
                pos[c] = fill[c] - 1;
                if (pos[c] >= 0) {
                    heap[heapSize++] = c;
                }
            }
            for (int i = heapSize / 2 - 1; i >= 0; i--) {
                siftDown(i);
            }
        }

        boolean hasNext() {
            return heapSize > 0;
        }

        long peek() {
            int c = heap[0];
            return chunks[c][pos[c]];
        }

        /** Consumes every value equal to {@code key} (which must be the current maximum). */
        long skipEqual(long key) {
            long count = 0;
            while (heapSize > 0) {
                int c = heap[0];
                long[] a = chunks[c];
                int p = pos[c];
                if (a[p] != key) {
                    break;
                }
                int start = p;
                while (p >= 0 && a[p] == key) {
                    p--;
                }
                count += start - p;
                pos[c] = p;
                if (p < 0) {
                    heap[0] = heap[--heapSize];
                }
                siftDown(0);
            }
            return count;
        }

        private long head(int c) {
            return chunks[c][pos[c]];
        }

        private void siftDown(int i) {
            if (heapSize == 0) {
                return;
            }
            int c = heap[i];
            long v = head(c);
            while (true) {
                int l = 2 * i + 1;
                if (l >= heapSize) {
                    break;
                }
                int r = l + 1;
                int best = r < heapSize && head(heap[r]) > head(heap[l]) ? r : l;
                if (head(heap[best]) <= v) {
                    break;
                }
                heap[i] = heap[best];
                i = best;
            }
            heap[i] = c;
        }
    }
}
