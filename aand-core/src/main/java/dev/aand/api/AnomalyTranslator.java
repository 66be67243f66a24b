package dev.aand.api;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.aand.data.Preprocessing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * DJL input in, {@link AnomalyResult} out. For an {@link Image} the pre-processing is the model's
 * own ({@link Preprocessing#resize}, the one {@code aand train}, {@code test} and {@code predict}
 * use), so the Predictor's scores equal the command line's; a {@link PreparedImage} has had it
 * already. (A model imported from the official code reads files with their samples as stored, like
 * PIL: give such a model images decoded by {@link Preprocessing#decode}, because DJL's
 * ImageFactory applies a JPEG's colour profile.) Each image's own size is kept in the context so
 * that its map and mask can be returned at that size.
 *
 * @param <I> {@link Image} or {@link PreparedImage}
 */
final class AnomalyTranslator<I> implements Translator<I, AnomalyResult> {
    private static final String SIZES = "aand.inputSizes";
    private final int size;
    private final double threshold;
    private final Function<I, PreparedImage> prepare;

    private AnomalyTranslator(int size, double threshold, Function<I, PreparedImage> prepare) {
        this.size = size;
        this.threshold = threshold;
        this.prepare = prepare;
    }

    /** Images pre-processed here, on the Predictor's thread. */
    static AnomalyTranslator<Image> ofImages(int size, double threshold, Preprocessing preprocessing) {
        return new AnomalyTranslator<>(size, threshold, image -> PreparedImage.of(image, size, preprocessing));
    }

    /** Images pre-processed by the caller. */
    static AnomalyTranslator<PreparedImage> ofPrepared(int size, double threshold) {
        return new AnomalyTranslator<>(size, threshold, Function.identity());
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, I input) {
        PreparedImage p = prepare.apply(input);
        if (p.size() != size) {
            throw new IllegalArgumentException("image prepared at " + p.size() + " px for a model of " + size + " px");
        }
        sizes(ctx).add(new int[] {p.width(), p.height()});
        return new NDList(ctx.getNDManager().create(p.pixels(), new Shape(3, size, size)));
    }

    @Override
    public NDList batchProcessInput(TranslatorContext ctx, List<I> inputs) throws Exception {
        ctx.setAttachment(SIZES, new ArrayList<int[]>(inputs.size()));
        return Translator.super.batchProcessInput(ctx, inputs);
    }

    @Override
    public List<AnomalyResult> batchProcessOutput(TranslatorContext ctx, NDList list) {
        NDArray maps = list.get(0);
        float[] all = maps.toType(DataType.FLOAT32, false).toFloatArray();
        float[] scores = list.get(1).toType(DataType.FLOAT32, false).toFloatArray();
        List<int[]> sizes = sizes(ctx);
        int plane = size * size;
        List<AnomalyResult> out = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            out.add(result(Arrays.copyOfRange(all, i * plane, (i + 1) * plane), scores[i], sizes.get(i)));
        }
        return out;
    }

    @Override
    public AnomalyResult processOutput(TranslatorContext ctx, NDList list) {
        // Only reached without a batchifier; kept correct for a single image.
        float[] map = list.get(0).toType(DataType.FLOAT32, false).toFloatArray();
        return result(map, list.get(1).toType(DataType.FLOAT32, false).getFloat(), sizes(ctx).get(0));
    }

    private AnomalyResult result(float[] map, float score, int[] wh) {
        return new AnomalyResult(score, threshold, new AnomalyMap(size, size, map), wh[0], wh[1]);
    }

    @SuppressWarnings("unchecked")
    private static List<int[]> sizes(TranslatorContext ctx) {
        Object o = ctx.getAttachment(SIZES);
        if (o == null) {
            List<int[]> l = new ArrayList<>();
            ctx.setAttachment(SIZES, l);
            return l;
        }
        return (List<int[]>) o;
    }
}
