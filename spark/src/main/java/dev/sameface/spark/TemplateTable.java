package dev.sameface.spark;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;

/** The enrol job's Parquet table, read with its own schema (so a table a killed first run left empty reads as empty). */
final class TemplateTable {
    private TemplateTable() {
    }

    static Dataset<Row> read(SparkSession spark, String location) {
        Path p = new Path(location);
        try {
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(p)) {
                return spark.createDataFrame(java.util.List.of(), EnrolJob.SCHEMA);
            }
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot look at the template table " + location + ": " + e.getMessage(), e);
        }
        return spark.read().schema(EnrolJob.SCHEMA).parquet(location);
    }
}
