package dev.aand.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.aand.engine.FusedConvolution.Activation;
import dev.aand.nn.BatchNorm2d;
import dev.aand.nn.Conv2d;
import dev.aand.nn.InitContext;
import dev.aand.nn.Module;
import dev.aand.nn.Temporaries;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Keras MobileNet v1 (alpha 1.0) up to conv_pw_11, with the Keras layer names as state-dict keys
 * ({@code conv1}, {@code conv1_bn}, {@code conv_dw_N}, {@code conv_dw_N_bn}, {@code conv_pw_N},
 * {@code conv_pw_N_bn}). Reproduces TensorFlow's SAME padding, which for stride 2 pads only the
 * bottom/right on even sizes: a symmetric pad would shift every feature by half a pixel and
 * mismatch the trained weights.
 */
public final class MobileNetV1 extends Module implements Backbone {
    /** Keras' BatchNormalization epsilon. */
    static final float BN_EPS = 1e-3f;
    /** Last block the teacher needs; blocks 12 and 13 are not built. */
    static final int LAST_BLOCK = 11;
    private static final int[] TAP_BLOCKS = {3, 5, 11};

    private final List<Layer> layers = new ArrayList<>();
    private final List<FeatureLevel> levels;

    /** Builds the network with seeded random weights, in inference mode and frozen. */
    public MobileNetV1(InitContext ctx) {
        layers.add(layer(ctx, "conv1", 3, 32, 1, 2));
        int channels = 32;
        int stride = 2;
        List<FeatureLevel> taps = new ArrayList<>();
        for (int n = 1; n <= LAST_BLOCK; n++) {
            int s = n == 2 || n == 4 || n == 6 || n == 12 ? 2 : 1;
            int out = pointwiseOut(n);
            layers.add(layer(ctx, "conv_dw_" + n, channels, channels, channels, s));
            layers.add(layer(ctx, "conv_pw_" + n, channels, out, 1, 1));
            channels = out;
            stride *= s;
            for (int t : TAP_BLOCKS) {
                if (t == n) {
                    taps.add(new FeatureLevel(channels, stride));
                }
            }
        }
        levels = List.copyOf(taps);
        train(false);
        freeze();
    }

    /** A randomly initialised network (for comparisons against the pretrained one). */
    public static MobileNetV1 random(NDManager manager, long seed) {
        return new MobileNetV1(new InitContext(manager, seed));
    }

    /** The ImageNet-pretrained network whose weights ship inside the jar. */
    public static MobileNetV1 pretrained(NDManager manager) {
        MobileNetV1 net = new MobileNetV1(new InitContext(manager, 0));
        Backbones.load(net, EmbeddedWeights.mobileNetV1(), "classpath:" + EmbeddedWeights.MOBILENET_RESOURCE,
                MobileNetV1::beyondTruncation);
        return net;
    }

    /** Keys of Keras layers after conv_pw_11 (blocks 12, 13, the classifier), which are not built. */
    static boolean beyondTruncation(String key) {
        return key.matches("conv_(dw|pw)_1[23](_bn)?\\..*") || key.startsWith("conv_preds.");
    }

    private static int pointwiseOut(int n) {
        if (n == 1) {
            return 64;
        }
        if (n <= 3) {
            return 128;
        }
        if (n <= 5) {
            return 256;
        }
        return n <= 11 ? 512 : 1024;
    }

    private Layer layer(InitContext ctx, String name, int in, int out, int groups, int stride) {
        int kernel = name.startsWith("conv_pw_") ? 1 : 3;
        // Stride-1 SAME is symmetric, so the conv pads itself; stride 2 is padded in samePad.
        int padding = kernel == 3 && stride == 1 ? 1 : 0;
        Conv2d conv = child(name, new Conv2d(ctx, in, out, kernel, stride, padding, groups, false,
                Conv2d.Init.KAIMING_FAN_OUT));
        BatchNorm2d bn = child(name + "_bn", new BatchNorm2d(ctx, conv, BN_EPS));
        return new Layer(name, conv, bn, kernel, stride);
    }

    @Override
    public String name() {
        return "mobilenet_v1";
    }

    @Override
    public List<FeatureLevel> levels() {
        return levels;
    }

    /** Keras' "tf" preprocessing: x / 127.5 - 1. */
    @Override
    public NDArray normalize(NDArray rgb255) {
        try (NDArray scaled = rgb255.div(127.5f)) {
            return scaled.sub(1f);
        }
    }

    @Override
    public NDList features(NDArray normalized) {
        return run(normalized, null);
    }

    /**
     * The forward pass; {@code bnInputs}, when given, sees each BatchNorm's name and its input (the
     * conv output) before normalisation. Tests use it to check the weight layout against the
     * stored running statistics.
     */
    NDList run(NDArray x, BiConsumer<String, NDArray> bnInputs) {
        if (isTraining()) {
            train(false);
        }
        NDList out = new NDList(3);
        try (NDScope scope = new NDScope()) {
            NDArray y = x;
            for (Layer l : layers) {
                NDArray in = y;
                y = Temporaries.keep(() -> {
                    NDArray padded = l.stride == 1 ? in : samePad(in, l.kernel, l.stride);
                    if (bnInputs == null) {
                        return l.conv.forward(padded, l.bn, Activation.RELU6);
                    }
                    NDArray c = l.conv.forward(padded);
                    bnInputs.accept(l.name + "_bn", c);
                    return l.bn.forward(c).clip(0f, 6f);
                });
                if (in != x) {
                    in.close(); // only y is read from here on; freeing early bounds the peak
                }
                if (isTap(l.name)) {
                    NDArray tap = y.stopGradient();
                    NDScope.unregister(tap);
                    out.add(tap);
                }
            }
        }
        // Hand the taps to the caller's scope, if any, as if they had been created there.
        out.forEach(NDScope::register);
        return out;
    }

    private static boolean isTap(String layerName) {
        for (int t : TAP_BLOCKS) {
            if (layerName.equals("conv_pw_" + t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * TensorFlow SAME padding: total = max(k - s, 0) when the size divides by s, else
     * max(k - size % s, 0); the smaller half goes top/left.
     */
    static NDArray samePad(NDArray x, int kernel, int stride) {
        if (kernel == 1) {
            return x;
        }
        Shape s = x.getShape();
        long h = s.get(2);
        long w = s.get(3);
        long padH = Math.max(kernel - (h % stride == 0 ? stride : h % stride), 0);
        long padW = Math.max(kernel - (w % stride == 0 ? stride : w % stride), 0);
        // torch.nn.functional.pad order: last dim first (left, right, top, bottom).
        return x.pad(new Shape(padW / 2, padW - padW / 2, padH / 2, padH - padH / 2), 0);
    }

    @Override
    public Module module() {
        return this;
    }

    private record Layer(String name, Conv2d conv, BatchNorm2d bn, int kernel, int stride) {}
}
