package dev.aand.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_extract;

import dev.aand.data.ImageFiles;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where the images to score come from, as a one-column ({@code path}) dataset of paths that the
 * cluster's Hadoop file system can open.
 */
enum ScoreInput {
    /** A folder (searched recursively) or a glob of image files; only image extensions are kept. */
    IMAGES,
    /** Parquet files with a {@code path} column listing the images. */
    PARQUET,
    /** A catalog table with a {@code path} column. */
    TABLE;

    static ScoreInput parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown input type '" + s + "' (expected images, parquet or table)");
        }
    }

    Dataset<Row> paths(SparkSession spark, String input) {
        return switch (this) {
            case IMAGES -> {
                // Only the file listing is used: without the content column, binaryFile reads no bytes.
                Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                        .load(input).select(col("path"));
                yield files.filter(lower(regexp_extract(col("path"), "\\.([^./]+)$", 1))
                        .isin(Arrays.stream(ImageFiles.EXTENSIONS.toArray()).sorted().toArray()));
            }
            case PARQUET -> pathColumn(spark.read().parquet(input), input);
            case TABLE -> pathColumn(spark.table(input), input);
        };
    }

    private static Dataset<Row> pathColumn(Dataset<Row> table, String input) {
        if (!Arrays.asList(table.columns()).contains("path")) {
            throw new IllegalArgumentException(input + " has no 'path' column (columns: "
                    + String.join(", ", table.columns()) + ")");
        }
        return table.select(col("path").cast("string")).filter(col("path").isNotNull());
    }
}
