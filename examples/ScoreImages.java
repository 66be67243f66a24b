import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.ZooModel;
import dev.aand.api.Aand;
import dev.aand.api.AnomalyResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A program that uses aand only as a library: scores images with a trained model through DJL's
 * Criteria -> ZooModel -> Predictor and prints "score,path" per image.
 *
 * <p>Usage: {@code java -cp aand-core.jar:DEPENDENCIES ScoreImages MODEL_DIR IMAGE...}
 * ({@code scripts/api-example.sh} compiles and runs it and compares with {@code aand predict}).
 */
public final class ScoreImages {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ScoreImages MODEL_DIR IMAGE...");
            System.exit(2);
        }
        System.setProperty("ai.djl.offline", "true");
        List<Path> files = new ArrayList<>();
        List<Image> images = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            files.add(Path.of(args[i]));
            images.add(ImageFactory.getInstance().fromFile(Path.of(args[i])));
        }
        try (ZooModel<Image, AnomalyResult> model = Aand.criteria(Path.of(args[0])).loadModel();
                Predictor<Image, AnomalyResult> predictor = model.newPredictor()) {
            List<AnomalyResult> results = predictor.batchPredict(images);
            for (int i = 0; i < files.size(); i++) {
                AnomalyResult r = results.get(i);
                System.out.println(r.score() + "," + files.get(i) + (r.anomalous() ? ",ANOMALY" : ",ok"));
            }
        }
    }
}
