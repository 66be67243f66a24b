package dev.aand.backbone;

import java.util.Arrays;
import java.util.Map;

/**
 * The shape of a torchvision ResNet: block type, blocks per stage, and channel widths. Widths are
 * per stage rather than derived from a name so that a checkpoint with non-standard widths (such
 * as the narrow parity fixture) can be rebuilt exactly from its tensor shapes.
 *
 * @param name registered architecture name
 * @param bottleneck Bottleneck blocks (ResNet-50 family) rather than BasicBlocks
 * @param stem output channels of conv1
 * @param blocks blocks in layer1..layer4
 * @param widths inner width of each stage (conv1/conv2 of a block)
 * @param outs output channels of each stage
 * @param numClasses rows of the fc head
 */
public record ResNetSpec(String name, boolean bottleneck, int stem, int[] blocks, int[] widths,
        int[] outs, int numClasses) {
    private static final int[] PLANES = {64, 128, 256, 512};

    public ResNetSpec {
        if (blocks.length != 4 || widths.length != 4 || outs.length != 4) {
            throw new IllegalArgumentException("a ResNet has 4 stages");
        }
        blocks = blocks.clone();
        widths = widths.clone();
        outs = outs.clone();
    }

    @Override
    public int[] blocks() {
        return blocks.clone();
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    @Override
    public int[] outs() {
        return outs.clone();
    }

    public static ResNetSpec resnet18() {
        return basic("resnet18", new int[] {2, 2, 2, 2});
    }

    public static ResNetSpec resnet34() {
        return basic("resnet34", new int[] {3, 4, 6, 3});
    }

    public static ResNetSpec resnet50() {
        return bottleneck("resnet50", 64);
    }

    /** torchvision's wide_resnet50_2: width_per_group 128 doubles the inner widths only. */
    public static ResNetSpec wideResnet50_2() {
        return bottleneck("wide_resnet50_2", 128);
    }

    private static ResNetSpec basic(String name, int[] blocks) {
        return new ResNetSpec(name, false, 64, blocks, PLANES, PLANES, 1000);
    }

    private static ResNetSpec bottleneck(String name, int widthPerGroup) {
        int[] widths = new int[4];
        int[] outs = new int[4];
        for (int i = 0; i < 4; i++) {
            widths[i] = PLANES[i] * widthPerGroup / 64;
            outs[i] = PLANES[i] * 4;
        }
        return new ResNetSpec(name, true, 64, new int[] {3, 4, 6, 3}, widths, outs, 1000);
    }

    /**
     * This spec with stem, block counts and widths taken from a checkpoint's tensor shapes where the
     * checkpoint has them (stages or heads it lacks keep this spec's values). The block type stays
     * the named one; a checkpoint of the other type then fails binding with a named key.
     */
    public ResNetSpec adaptedTo(Map<String, long[]> shapes) {
        int newStem = dim(shapes, "conv1.weight", 0, stem);
        int[] b = blocks.clone();
        int[] w = widths.clone();
        int[] o = outs.clone();
        for (int s = 0; s < 4; s++) {
            String p = "layer" + (s + 1) + ".";
            int count = 0;
            while (shapes.containsKey(p + count + ".conv1.weight")) {
                count++;
            }
            if (count == 0) {
                continue;
            }
            b[s] = count;
            w[s] = dim(shapes, p + "0.conv1.weight", 0, w[s]);
            o[s] = dim(shapes, p + "0." + (bottleneck ? "conv3" : "conv2") + ".weight", 0, o[s]);
        }
        int classes = dim(shapes, "fc.weight", 0, numClasses);
        return new ResNetSpec(name, bottleneck, newStem, b, w, o, classes);
    }

    private static int dim(Map<String, long[]> shapes, String key, int axis, int fallback) {
        long[] s = shapes.get(key);
        return s != null && s.length > axis ? Math.toIntExact(s[axis]) : fallback;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResNetSpec r && r.name.equals(name) && r.bottleneck == bottleneck
                && r.stem == stem && Arrays.equals(r.blocks, blocks) && Arrays.equals(r.widths, widths)
                && Arrays.equals(r.outs, outs) && r.numClasses == numClasses;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(widths) * 7 + Arrays.hashCode(blocks);
    }

    @Override
    public String toString() {
        return name + (bottleneck ? "[bottleneck" : "[basic") + " stem=" + stem + " blocks="
                + Arrays.toString(blocks) + " widths=" + Arrays.toString(widths) + " outs="
                + Arrays.toString(outs) + "]";
    }
}
