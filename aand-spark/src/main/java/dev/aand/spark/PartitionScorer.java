package dev.aand.spark;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.translate.TranslateException;
import dev.aand.api.AnomalyResult;
import dev.aand.cli.Main;
import dev.aand.data.DataException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Scores one partition of image paths on an executor: the JVM's cached model
 * ({@link ExecutorModels}), one Predictor per task, images read and scored one engine batch at a
 * time. An image that cannot be read, decoded or scored becomes an error row; it never fails the
 * task.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private final String modelRef;
    private final int batchSize;
    private final ImageBytes limits;
    private final Broadcast<SerializableConfiguration> hadoopConf;
    private final LongAccumulator scored;
    private final LongAccumulator failed;

    PartitionScorer(String modelRef, int batchSize, ImageBytes limits, Broadcast<SerializableConfiguration> hadoopConf,
            LongAccumulator scored, LongAccumulator failed) {
        this.modelRef = modelRef;
        this.batchSize = batchSize;
        this.limits = limits;
        this.hadoopConf = hadoopConf;
        this.scored = scored;
        this.failed = failed;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> paths) {
        TaskContext ctx = TaskContext.get();
        EngineThreads.start(ctx == null ? 1 : ctx.cpus());
        // Decoding from memory: ImageIO's default disk cache would write every image to a temp file.
        ImageIO.setUseCache(false);
        ExecutorModels.Lease lease = ExecutorModels.acquire(ModelFolders.require(modelRef));
        Predictor<Image, AnomalyResult> predictor = lease.model().newPredictor();
        if (ctx != null) {
            ctx.addTaskCompletionListener(c -> {
                predictor.close();
                lease.close();
            });
        }
        return new Rows(paths, predictor, lease.version(), hadoopConf.value().value(), ctx);
    }

    /** Pulls a batch of paths whenever the writer has taken every row of the last one. */
    private final class Rows implements Iterator<Row> {
        private final Iterator<Row> paths;
        private final Predictor<Image, AnomalyResult> predictor;
        private final String version;
        private final Configuration conf;
        private final TaskContext ctx;
        private final ArrayDeque<Row> ready = new ArrayDeque<>();
        private long emitted;

        Rows(Iterator<Row> paths, Predictor<Image, AnomalyResult> predictor, String version, Configuration conf,
                TaskContext ctx) {
            this.paths = paths;
            this.predictor = predictor;
            this.version = version;
            this.conf = conf;
            this.ctx = ctx;
        }

        @Override
        public boolean hasNext() {
            if (ready.isEmpty()) {
                FaultInjection.check(ctx, emitted);
            }
            while (ready.isEmpty() && paths.hasNext()) {
                scoreNextBatch();
            }
            return !ready.isEmpty();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            emitted++;
            return ready.poll();
        }

        private void scoreNextBatch() {
            List<String> names = new ArrayList<>(batchSize);
            List<Image> images = new ArrayList<>(batchSize);
            while (images.size() < batchSize && paths.hasNext()) {
                String path = paths.next().getString(0);
                try {
                    images.add(limits.read(path, conf));
                    names.add(path);
                } catch (DataException e) {
                    fail(path, e.getMessage());
                }
            }
            if (images.isEmpty()) {
                return;
            }
            List<AnomalyResult> results;
            try {
                results = predictor.batchPredict(images);
            } catch (TranslateException | RuntimeException e) {
                scoreOneByOne(names, images);
                return;
            }
            for (int i = 0; i < names.size(); i++) {
                ready.add(ScoreRows.scored(names.get(i), version, results.get(i)));
                scored.add(1);
            }
        }

        /** A batch the engine refused: score alone what can be, so one bad image costs only its own row. */
        private void scoreOneByOne(List<String> names, List<Image> images) {
            for (int i = 0; i < names.size(); i++) {
                try {
                    ready.add(ScoreRows.scored(names.get(i), version, predictor.predict(images.get(i))));
                    scored.add(1);
                } catch (TranslateException | RuntimeException e) {
                    fail(names.get(i), "scoring failed: " + Main.message(e));
                }
            }
        }

        private void fail(String path, String why) {
            ready.add(ScoreRows.failed(path, version, why));
            failed.add(1);
        }
    }
}
