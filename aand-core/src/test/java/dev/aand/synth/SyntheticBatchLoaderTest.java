package dev.aand.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SyntheticBatchLoaderTest {
    private static final int S = 16;
    private static final int N = 7;
    private static final TextureBank BANK = TextureBank.defaults(S);

    private static List<float[]> images() {
        List<float[]> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(99);
        for (int i = 0; i < N; i++) {
            float[] img = new float[3 * S * S];
            for (int k = 0; k < img.length; k++) img[k] = (float) (255 * r.nextDouble());
            out.add(img);
        }
        return out;
    }

    private static List<float[]> foregrounds(List<float[]> images) {
        List<float[]> out = new ArrayList<>();
        for (float[] img : images) out.add(ForegroundMask.compute(img, S, S, ForegroundRule.RECT));
        return out;
    }

    private static List<SyntheticBatchLoader.Batch> run(int threads, long seed, int epoch, boolean dropLast) {
        List<float[]> imgs = images();
        AnomalySynthesizer syn = new AnomalySynthesizer(BANK, S, SynthesisConfig.defaults());
        try (SyntheticBatchLoader loader =
                new SyntheticBatchLoader(imgs, foregrounds(imgs), syn, 3, seed, threads, dropLast)) {
            List<SyntheticBatchLoader.Batch> out = new ArrayList<>();
            SyntheticBatchLoader.Epoch it = loader.epoch(epoch);
            while (it.hasNext()) out.add(it.next());
            assertEquals(loader.batchesPerEpoch(), out.size());
            return out;
        }
    }

    @Test
    void batchesAreIdenticalWhateverTheThreadCount() {
        for (int epoch = 0; epoch < 2; epoch++) {
            List<SyntheticBatchLoader.Batch> one = run(1, 42, epoch, false);
            List<SyntheticBatchLoader.Batch> three = run(3, 42, epoch, false);
            assertEquals(one.size(), three.size());
            for (int b = 0; b < one.size(); b++) {
                assertArrayEquals(one.get(b).sampleIds(), three.get(b).sampleIds());
                assertArrayEquals(one.get(b).images(), three.get(b).images());
                assertArrayEquals(one.get(b).masks(), three.get(b).masks());
                assertArrayEquals(one.get(b).foregrounds(), three.get(b).foregrounds());
                assertArrayEquals(one.get(b).anomalous(), three.get(b).anomalous());
            }
        }
        assertFalse(Arrays.equals(run(2, 42, 0, false).get(0).images(), run(2, 43, 0, false).get(0).images()),
                "another seed gives other batches");
    }

    @Test
    void lastPartialBatchIsKeptOrDroppedAndEveryImageAppearsOnce() {
        List<SyntheticBatchLoader.Batch> kept = run(2, 5, 0, false);
        assertEquals(List.of(3, 3, 1), kept.stream().map(SyntheticBatchLoader.Batch::size).toList());
        int[] seen = new int[N];
        List<float[]> imgs = images();
        List<float[]> fgs = foregrounds(imgs);
        for (SyntheticBatchLoader.Batch b : kept) {
            assertEquals(b.size() * 3 * S * S, b.images().length);
            assertEquals(b.size() * S * S, b.masks().length);
            for (int k = 0; k < b.size(); k++) {
                int id = b.sampleIds()[k];
                seen[id]++;
                float[] fg = Arrays.copyOfRange(b.foregrounds(), k * S * S, (k + 1) * S * S);
                assertArrayEquals(fgs.get(id), fg);
                for (int i = 0; i < S * S; i++) {
                    if (b.masks()[k * S * S + i] > 0) assertEquals(1f, fg[i], "mask outside foreground");
                }
                if (!b.anomalous()[k]) {
                    float[] img = Arrays.copyOfRange(b.images(), k * 3 * S * S, (k + 1) * 3 * S * S);
                    assertArrayEquals(imgs.get(id), img, "normal sample must be the original image");
                }
            }
        }
        for (int c : seen) assertEquals(1, c);
        assertEquals(List.of(3, 3), run(2, 5, 0, true).stream().map(SyntheticBatchLoader.Batch::size).toList());
    }

    @Test
    void orderIsAPermutationThatChangesWithTheEpoch() {
        List<float[]> imgs = images();
        AnomalySynthesizer syn = new AnomalySynthesizer(BANK, S, SynthesisConfig.defaults());
        try (SyntheticBatchLoader loader = new SyntheticBatchLoader(imgs, null, syn, 2, 1, 1, false)) {
            int[] a = loader.order(0), b = loader.order(1);
            assertArrayEquals(a, loader.order(0));
            assertFalse(Arrays.equals(a, b));
            int[] sorted = a.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < N; i++) assertEquals(i, sorted[i]);
            // Null foregrounds mean "whole image".
            SyntheticBatchLoader.Batch first = loader.epoch(0).next();
            for (float v : first.foregrounds()) assertEquals(1f, v);
        }
    }

    @Test
    void workerFailureSurfacesWithItsCause() {
        List<float[]> imgs = images();
        IllegalStateException boom = new IllegalStateException("boom in sample");
        SyntheticBatchLoader.Sampler failing = (image, fg, rng) -> {
            if (image == imgs.get(4)) throw boom;
            return new Synthetic(image.clone(), new float[S * S], false);
        };
        try (SyntheticBatchLoader loader = new SyntheticBatchLoader(imgs, null, failing, S, 2, 0, 3, false)) {
            SyntheticBatchLoader.Epoch it = loader.epoch(0);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                while (it.hasNext()) it.next();
            });
            assertSame(boom, e.getCause());
            assertTrue(e.getMessage().contains("sample 4"), e.getMessage());
        }
    }

    @Test
    void closedLoaderRefusesWorkAndBadInputIsNamed() {
        List<float[]> imgs = images();
        AnomalySynthesizer syn = new AnomalySynthesizer(BANK, S, SynthesisConfig.defaults());
        SyntheticBatchLoader loader = new SyntheticBatchLoader(imgs, null, syn, 2, 1, 2, false);
        loader.epoch(0).next(); // abandon the epoch mid-way
        loader.close();
        assertThrows(IllegalStateException.class, () -> loader.epoch(1));
        List<float[]> bad = new ArrayList<>(imgs);
        bad.set(2, new float[10]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SyntheticBatchLoader(bad, null, syn, 2, 1, 1, false));
        assertTrue(e.getMessage().contains("training image 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new SyntheticBatchLoader(imgs, List.of(new float[S * S]), syn, 2, 1, 1, false));
    }
}
