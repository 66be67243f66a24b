package dev.aand.train;

import ai.djl.ndarray.NDArray;
import dev.aand.config.AandConfig;
import dev.aand.engine.Scalars;
import dev.aand.model.AmplifiedFeature;
import dev.aand.model.Method;
import dev.aand.model.ResidualAnomalyAmplifier;
import java.util.SplittableRandom;

/**
 * The stage-1 objective of one feature level (Eq. 9), as the official {@code train_Stage1}
 * composes it: the image masks are pooled to the level's grid, the ground truth gates the
 * residual (Eq. 6), and loss = focal(w, labels) + 0.1 * amplification(F, F_A) (Eq. 7-8).
 */
final class Stage1Loss {
    private final FocalLoss focal;
    private final AmplificationLoss amplification;
    private final float amplificationWeight;
    private final double labelThreshold;
    private final boolean gated;

    Stage1Loss(AandConfig config) {
        this.focal = new FocalLoss(config.focalAlpha(), config.focalGamma());
        this.amplification = new AmplificationLoss(config.amplificationMargin(), config.maxAnomalousPositions(),
                config.maxNormalPositions());
        this.amplificationWeight = (float) config.amplificationWeight();
        this.labelThreshold = config.gateLabelThreshold();
        this.gated = config.method().gating() == Method.Gating.MATCHING;
    }

    /** How the amplification loss's positions are chosen from the level's labels and foreground. */
    interface PositionChoice {
        AmplificationLoss.Positions choose(boolean[] anomalous, boolean[] foreground);
    }

    /**
     * One level's terms.
     *
     * @param total the level's loss, or null when it has none (no gate and no position pair)
     * @param focal the gate's focal loss (null without a matching gate)
     * @param amplification the unweighted amplification loss (null without a position pair)
     * @param labels the level's ground truth, [N, 1, h, w] in {0,1}
     * @param amplified the RAA output gated by {@code labels}
     */
    record Level(NDArray total, NDArray focal, NDArray amplification, NDArray labels, AmplifiedFeature amplified) {}

    /** Positions drawn at random from {@code rng} (training). */
    Level level(ResidualAnomalyAmplifier raa, NDArray feature, NDArray mask, NDArray foreground,
            SplittableRandom rng) {
        return level(raa, feature, mask, foreground, (a, fg) -> amplification.sample(a, fg, rng));
    }

    /**
     * @param feature the teacher's level output F, [N, C, h, w]
     * @param mask the synthetic anomaly masks at image resolution, [N, 1, S, S]
     * @param foreground the foreground masks at image resolution, [N, 1, S, S]
     */
    Level level(ResidualAnomalyAmplifier raa, NDArray feature, NDArray mask, NDArray foreground,
            PositionChoice positions) {
        long h = feature.getShape().get(2);
        NDArray y = LevelMasks.pool(mask, h, labelThreshold);
        NDArray inside = LevelMasks.pool(foreground, h, labelThreshold);
        AmplifiedFeature af = raa.forward(feature, y);
        NDArray amp = amplification.compute(feature, af.advanced(),
                positions.choose(LevelMasks.toBooleans(y), LevelMasks.toBooleans(inside)));
        NDArray fl = gated ? focal.compute(af.anomalyWeight(), y) : null;
        NDArray total = amp == null ? null : amp.mul(Scalars.of(amp, amplificationWeight));
        if (fl != null) {
            total = total == null ? fl : fl.add(total);
        }
        return new Level(total, fl, amp, y, af);
    }
}
