package dev.aand.api;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.aand.data.ImageLoader;
import dev.aand.data.Preprocessing;
import dev.aand.infer.MapResizer;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * DJL image in, {@link AnomalyResult} out. Pre-processing is the model's own
 * ({@link Preprocessing#resize}, the one {@code aand train}, {@code test} and {@code predict} use),
 * so the Predictor's scores equal the command line's. (A model imported from the official code
 * reads files with their samples as stored, like PIL: give such a model images decoded by
 * {@link Preprocessing#decode}, because DJL's ImageFactory applies a JPEG's colour profile.) Each image's own size is kept in the context so that its map and mask
 * can be returned at that size.
 */
final class AnomalyTranslator implements Translator<Image, AnomalyResult> {
    private static final String SIZES = "aand.inputSizes";
    private final int size;
    private final double threshold;
    private final Preprocessing preprocessing;

    AnomalyTranslator(int size, double threshold, Preprocessing preprocessing) {
        this.size = size;
        this.threshold = threshold;
        this.preprocessing = preprocessing;
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        ImageLoader.Decoded d = decode(input);
        sizes(ctx).add(new int[] {d.width(), d.height()});
        float[] chw = preprocessing.resize(d, size);
        return new NDList(ctx.getNDManager().create(chw, new Shape(3, size, size)));
    }

    @Override
    public NDList batchProcessInput(TranslatorContext ctx, List<Image> inputs) throws Exception {
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
            float[] map = java.util.Arrays.copyOfRange(all, i * plane, (i + 1) * plane);
            out.add(result(map, scores[i], sizes.get(i)));
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
        AnomalyMap model = new AnomalyMap(size, size, map);
        AnomalyMap input = new AnomalyMap(wh[0], wh[1], MapResizer.resize(map, size, size, wh[0], wh[1]));
        return new AnomalyResult(score, threshold, model, input);
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

    private static ImageLoader.Decoded decode(Image image) {
        if (image.getWrappedImage() instanceof BufferedImage bi) {
            return ImageLoader.fromImage(bi);
        }
        // Another ImageFactory (e.g. OpenCV): take its 8-bit RGB pixels.
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getWrappedImage() == null ? null : toArgb(image);
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        bi.setRGB(0, 0, w, h, argb, 0, w);
        return ImageLoader.fromImage(bi);
    }

    private static int[] toArgb(Image image) {
        try (var m = ai.djl.ndarray.NDManager.newBaseManager()) {
            NDArray hwc = image.toNDArray(m, Image.Flag.COLOR); // [H, W, 3] uint8
            byte[] b = hwc.toByteArray();
            int[] px = new int[b.length / 3];
            for (int i = 0; i < px.length; i++) {
                px[i] = ((b[3 * i] & 0xff) << 16) | ((b[3 * i + 1] & 0xff) << 8) | (b[3 * i + 2] & 0xff);
            }
            return px;
        }
    }
}
