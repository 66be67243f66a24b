package dev.aand.spark;

import dev.aand.api.AnomalyResult;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One output row per image: its score and decision, where the map peaks and how many pixels reach
 * the threshold (both at the image's own size), or why it could not be scored. On an error row
 * every result column is null.
 */
final class ScoreRows {
    static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("path", DataTypes.StringType, false),
        DataTypes.createStructField("model_version", DataTypes.StringType, false),
        DataTypes.createStructField("score", DataTypes.DoubleType, true),
        DataTypes.createStructField("threshold", DataTypes.DoubleType, true),
        DataTypes.createStructField("anomalous", DataTypes.BooleanType, true),
        DataTypes.createStructField("peak_x", DataTypes.IntegerType, true),
        DataTypes.createStructField("peak_y", DataTypes.IntegerType, true),
        DataTypes.createStructField("anomalous_area", DataTypes.LongType, true),
        DataTypes.createStructField("error", DataTypes.StringType, true),
    });

    private ScoreRows() {}

    static Row scored(String path, String version, AnomalyResult r) {
        int[] peak = r.mapAtInput().peak();
        return RowFactory.create(path, version, r.score(), r.threshold(), r.anomalous(), peak[0], peak[1],
                r.mask().area(), null);
    }

    static Row failed(String path, String version, String error) {
        return RowFactory.create(path, version, null, null, null, null, null, null, error);
    }
}
