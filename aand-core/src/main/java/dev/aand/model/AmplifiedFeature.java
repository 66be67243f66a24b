package dev.aand.model;

import ai.djl.ndarray.NDArray;

/**
 * What one RAA module produces for one feature level.
 *
 * @param advanced F_A = F + g * residual, [N, C, H, W]
 * @param anomalyWeight the gate's predicted w, [N, 1, H, W] (null when the method has no gate)
 */
public record AmplifiedFeature(NDArray advanced, NDArray anomalyWeight) {}
