package dev.aand.model;

import dev.aand.config.Ids;

/**
 * The method and its ablations (paper Tables V and VII). Each constant says which stages run,
 * which losses stage 2 uses, how the residual is gated and shaped, and what the anomaly map is.
 */
public enum Method {
    /** Full AAND: stage 1 (RAA) + stage 2 with KD and HKD. */
    AAND("aand", true, true, Gating.MATCHING, Residual.ATTRIBUTE_SCALING, MapSource.DISCREPANCY),
    /** Reverse distillation baseline: no stage 1, KD only. */
    RD("rd", false, false, Gating.NONE, Residual.ATTRIBUTE_SCALING, MapSource.DISCREPANCY),
    /** RD with hard knowledge distillation. */
    RD_HKD("rd+hkd", false, true, Gating.NONE, Residual.ATTRIBUTE_SCALING, MapSource.DISCREPANCY),
    /** Stage 1 + stage 2 with KD only. */
    RAA("raa", true, false, Gating.MATCHING, Residual.ATTRIBUTE_SCALING, MapSource.DISCREPANCY),
    /** Stage 1 only: the gate's anomaly weight w is the anomaly map. */
    GATE_SCORE("gate-score", true, true, Gating.MATCHING, Residual.ATTRIBUTE_SCALING, MapSource.GATE),
    /** The residual is added at every position (no matching gate). */
    UNGATED("ungated", true, true, Gating.ALWAYS, Residual.ATTRIBUTE_SCALING, MapSource.DISCREPANCY),
    /** The generator's output is the residual itself (delta = MLP(F)). */
    LEARNABLE("learnable", true, true, Gating.MATCHING, Residual.LEARNABLE, MapSource.DISCREPANCY),
    /** Attribute scaling with a sigmoid instead of tanh (delta = sigmoid(MLP(F)) * F). */
    SIGMOID("sigmoid", true, true, Gating.MATCHING, Residual.SIGMOID_SCALING, MapSource.DISCREPANCY);

    /** How the residual is weighted per position. */
    public enum Gating { NONE, MATCHING, ALWAYS }

    /** How the generator output becomes the residual. */
    public enum Residual { ATTRIBUTE_SCALING, LEARNABLE, SIGMOID_SCALING }

    /** What the anomaly map is made of at inference. */
    public enum MapSource { DISCREPANCY, GATE }

    private final String id;
    private final boolean stage1;
    private final boolean hardDistillation;
    private final Gating gating;
    private final Residual residual;
    private final MapSource mapSource;

    Method(String id, boolean stage1, boolean hkd, Gating gating, Residual residual, MapSource map) {
        this.id = id;
        this.stage1 = stage1;
        this.hardDistillation = hkd;
        this.gating = gating;
        this.residual = residual;
        this.mapSource = map;
    }

    public String id() {
        return id;
    }

    /** Whether the RAA modules exist and stage 1 trains them. */
    public boolean usesAmplification() {
        return stage1;
    }

    /** Whether stage 2 (the student) trains at all. */
    public boolean usesStudent() {
        return mapSource == MapSource.DISCREPANCY;
    }

    public boolean hardDistillation() {
        return hardDistillation;
    }

    public Gating gating() {
        return gating;
    }

    public Residual residual() {
        return residual;
    }

    public MapSource mapSource() {
        return mapSource;
    }

    public static Method parse(String s) {
        return Ids.parse(values(), Method::id, s, "method");
    }

    @Override
    public String toString() {
        return id;
    }
}
