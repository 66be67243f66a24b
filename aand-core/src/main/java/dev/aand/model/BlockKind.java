package dev.aand.model;

/** The two residual block families of ResNet, with their output-channel multiplier. */
public enum BlockKind {
    /** Two 3x3 convs; output channels = planes (ResNet-18/34). */
    BASIC(1),
    /** 1x1 reduce, 3x3, 1x1 expand; output channels = 4 x planes (ResNet-50, WRN-50-2). */
    BOTTLENECK(4);

    private final int expansion;

    BlockKind(int expansion) {
        this.expansion = expansion;
    }

    public int expansion() {
        return expansion;
    }
}
