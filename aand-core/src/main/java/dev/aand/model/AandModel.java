package dev.aand.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.aand.backbone.Backbone;
import dev.aand.backbone.FeatureLevel;
import dev.aand.config.AandConfig;
import dev.aand.nn.InferenceFormat;
import dev.aand.nn.InitContext;
import dev.aand.nn.Module;
import dev.aand.nn.ModuleList;
import dev.aand.nn.Temporaries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole AAND network around a frozen teacher: one RAA module per teacher level (the
 * "advanced teacher"), and the reverse-distillation bottleneck and student decoder. The teacher is
 * not a child: it is shared, frozen and never saved with the model (only its name and weights
 * file are).
 */
public final class AandModel extends Module {
    private final Backbone teacher;
    private final AandConfig config;
    private final ModuleList<ResidualAnomalyAmplifier> raa;
    private final ReverseDistillationNets student;

    public AandModel(Backbone teacher, AandConfig config, InitContext ctx) {
        this(teacher, config, ctx, Map.of());
    }

    /**
     * A model shaped like a saved state dict: the RAA hidden widths and the bottleneck and decoder
     * widths and depths are read from {@code savedShapes} (keys as in {@link #stateDict()}) where it
     * has them, the design's values otherwise, as the ResNet loader does for the teacher. This
     * serves narrow or imported checkpoints; the design's own models come out unchanged.
     */
    public AandModel(Backbone teacher, AandConfig config, InitContext ctx, Map<String, long[]> savedShapes) {
        this.teacher = teacher;
        this.config = config;
        Method method = config.method();
        int[] channels = teacher.levels().stream().mapToInt(FeatureLevel::channels).toArray();
        if (method.usesAmplification()) {
            raa = child("raa", new ModuleList<>());
            for (int i = 0; i < channels.length; i++) {
                long[] gate = savedShapes.get("raa." + i + ".gate.0.weight");
                int hidden = gate != null && gate.length > 0 ? Math.toIntExact(gate[0])
                        : ResidualAnomalyAmplifier.hiddenFor(channels[i]);
                raa.add(new ResidualAnomalyAmplifier(ctx, channels[i], hidden, config.memoryItems(),
                        config.temperature(), method));
            }
        } else {
            raa = null;
        }
        if (method.usesStudent()) {
            ReverseDistillationSpec spec = ReverseDistillationSpec.forBackbone(teacher.name())
                    .adaptedTo(savedShapes, "bottleneck.", "decoder.");
            spec.requireTeacherChannels(channels);
            student = ReverseDistillationNets.build(spec, ctx);
            child("bottleneck", student.bottleneck());
            child("decoder", student.decoder());
        } else {
            student = null;
        }
    }

    public Backbone teacher() {
        return teacher;
    }

    public AandConfig config() {
        return config;
    }

    public Method method() {
        return config.method();
    }

    /** The RAA modules, one per level; empty for methods without stage 1. */
    public List<ResidualAnomalyAmplifier> amplifiers() {
        List<ResidualAnomalyAmplifier> out = new ArrayList<>();
        if (raa != null) {
            raa.forEach(out::add);
        }
        return out;
    }

    public boolean hasStudent() {
        return student != null;
    }

    /** Stage-2 trainable part. */
    public ReverseDistillationNets student() {
        if (student == null) {
            throw new IllegalStateException("method " + method() + " has no student");
        }
        return student;
    }

    /**
     * Eq. 1: normalises [N,3,H,W] float32 RGB in [0,255] and runs the frozen teacher (levels
     * finest first); after {@link #prepareInference} the levels come in the inference format
     * (e.g. bfloat16).
     */
    public NDList teacherFeatures(NDArray rgb255) {
        InferenceFormat format = teacher.module().inferenceFormat();
        if (format == null) {
            return teacher.features(teacher.normalize(rgb255));
        }
        return Temporaries.keepAll(() -> teacher.features(format.input(teacher.normalize(rgb255))));
    }

    /** The teacher is not a child (it is never saved), but inference prepares it with the rest. */
    @Override
    protected void prepareOwnInference(InferenceFormat format) {
        teacher.module().prepareInference(format);
    }

    @Override
    protected void dropOwnInference() {
        teacher.module().dropInference();
    }

    /**
     * The advanced teacher: each level amplified by its RAA module with the predicted gate (or the
     * raw features when the method has no stage 1).
     */
    public List<AmplifiedFeature> advance(NDList features) {
        List<AmplifiedFeature> out = new ArrayList<>(features.size());
        for (int i = 0; i < features.size(); i++) {
            out.add(raa == null
                    ? new AmplifiedFeature(features.get(i), null)
                    : raa.get(i).forward(features.get(i), null));
        }
        return out;
    }

    /** The student's reconstruction of the advanced teacher's levels. */
    public NDList reconstruct(List<AmplifiedFeature> advanced) {
        return student().forward(advancedList(advanced));
    }

    public static NDList advancedList(List<AmplifiedFeature> advanced) {
        NDList list = new NDList(advanced.size());
        advanced.forEach(a -> list.add(a.advanced()));
        return list;
    }
}
