package dev.aand.backbone;

/** One tapped feature map of a backbone: its channel count and its stride w.r.t. the input. */
public record FeatureLevel(int channels, int stride) {}
