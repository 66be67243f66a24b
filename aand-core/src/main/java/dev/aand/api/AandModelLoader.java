package dev.aand.api;

import ai.djl.Application;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.modality.cv.Image;
import ai.djl.repository.MRL;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Translator;
import ai.djl.util.Progress;
import dev.aand.engine.OfflineEngine;
import dev.aand.infer.Inferencer;
import dev.aand.model.ModelStore;
import dev.aand.nn.InferenceFormat;
import dev.aand.nn.Precision;
import java.nio.file.Path;
import java.util.Map;

/** Loads one aand model directory into a DJL {@link ZooModel} (see {@link Aand#criteria}). */
final class AandModelLoader implements ModelLoader {
    /** DJL has no anomaly-detection application; "cv/anomaly_detection" lives under CV. */
    static final Application APPLICATION = Application.of("cv/anomaly_detection");
    private final Path dir;

    AandModelLoader(Path dir) {
        this.dir = dir;
    }

    @Override
    public String getGroupId() {
        return Aand.GROUP_ID;
    }

    @Override
    public String getArtifactId() {
        return dir.getFileName() == null ? "model" : dir.getFileName().toString();
    }

    @Override
    public Application getApplication() {
        return APPLICATION;
    }

    @Override
    public MRL getMrl() {
        throw new UnsupportedOperationException("an aand model is a local folder, not a repository entry: " + dir);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> ZooModel<I, O> loadModel(Criteria<I, O> criteria) throws ModelNotFoundException {
        Class<I> input = criteria.getInputClass();
        boolean known = input == Image.class || input == PreparedImage.class;
        if (!known || criteria.getOutputClass() != AnomalyResult.class) {
            throw new ModelNotFoundException("an aand model maps " + Image.class.getName() + " or "
                    + PreparedImage.class.getName() + " to " + AnomalyResult.class.getName() + ", not "
                    + input.getName() + " to " + criteria.getOutputClass().getName());
        }
        OfflineEngine.get();
        Device device = criteria.getDevice();
        Model model = Model.newInstance(getArtifactId(), device, "PyTorch");
        try {
            Map<String, Object> args = criteria.getArguments();
            ModelStore.Loaded loaded = ModelStore.load(dir, model.getNDManager(), Aand.loadOptions(args));
            double threshold = Aand.threshold(args, loaded.info().threshold());
            int size = loaded.model().config().imageSize();
            Precision precision = Aand.precision(args, loaded.model().config().precision());
            Inferencer inferencer = new Inferencer(loaded.model(), model.getNDManager(), Integer.MAX_VALUE,
                    InferenceFormat.of(precision));
            model.setBlock(new AandBlock(inferencer, size));
            model.setProperty("precision", precision.id());
            model.setProperty("threshold", Double.toString(threshold));
            model.setProperty("imageSize", Integer.toString(size));
            model.setProperty("method", loaded.model().method().id());
            model.setProperty("backbone", loaded.model().config().backbone());
            model.setProperty(Aand.PREPROCESSING, loaded.model().config().preprocessing().id());
            Translator<?, AnomalyResult> translator = input == Image.class
                    ? AnomalyTranslator.ofImages(size, threshold, loaded.model().config().preprocessing())
                    : AnomalyTranslator.ofPrepared(size, threshold);
            return (ZooModel<I, O>) new ZooModel<>(model, translator);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    @Override
    public <I, O> boolean isDownloaded(Criteria<I, O> criteria) {
        return true; // a local folder; nothing is ever downloaded
    }

    @Override
    public <I, O> void downloadModel(Criteria<I, O> criteria, Progress progress) {
        // a local folder; nothing is ever downloaded
    }
}
