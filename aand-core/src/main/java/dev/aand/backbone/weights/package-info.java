/**
 * Pure-Java weight import/export: torch.save zip checkpoints and safetensors are read into
 * engine-independent {@link dev.aand.backbone.weights.HostTensor}s (no Python, no DJL), safetensors
 * are written, and {@link dev.aand.backbone.weights.StateDictBinder} checks names and shapes
 * against a model before anything is bound. Every failure is a
 * {@link dev.aand.backbone.weights.WeightFormatException} naming the file.
 */
package dev.aand.backbone.weights;
