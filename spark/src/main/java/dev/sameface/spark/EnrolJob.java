package dev.sameface.spark;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Landmarks5;
import dev.sameface.api.Template;
import dev.sameface.api.TemplateCodec;
import dev.sameface.pipeline.Enrolment;
import dev.sameface.pipeline.FacePipeline;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.PrintStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.split;

/**
 * Enrols a photo collection into a Parquet template table, one row per image:
 * {@code (image_id, sha256, person, template, status, error_code, eyes, pipeline_identity, timings)}.
 *
 * <p>How it stays resumable and clean: the images still to do are the input minus the rows the table already holds
 * for this pipeline identity (a left anti-join), cut into batches of {@code batchSize}; each batch is one Spark job
 * that appends to the table through Spark's file commit protocol. Task output is written under
 * {@code _temporary/} and only moved into the table when the whole job commits, and readers ignore names starting
 * with {@code _}: a job killed mid-batch leaves no row of that batch visible, and the rerun redoes only that batch.
 * A failed image is a row with status {@code failed} and its {@link ErrorCode}, never lost (and not retried: the
 * same pipeline would fail it again).
 */
public final class EnrolJob {
    public static final String OK = "ok";
    public static final String FAILED = "failed";

    public static final StructType TIMINGS = new StructType(new StructField[]{
            DataTypes.createStructField("decode_ms", DataTypes.DoubleType, false),
            DataTypes.createStructField("detect_ms", DataTypes.DoubleType, false),
            DataTypes.createStructField("align_ms", DataTypes.DoubleType, false),
            DataTypes.createStructField("embed_ms", DataTypes.DoubleType, false),
            DataTypes.createStructField("total_ms", DataTypes.DoubleType, false)});

    /** The template table's schema. {@code template} holds {@link TemplateCodec} bytes; eyes are image x,y of both eyes. */
    public static final StructType SCHEMA = new StructType(new StructField[]{
            DataTypes.createStructField("image_id", DataTypes.StringType, false),
            DataTypes.createStructField("sha256", DataTypes.StringType, true),
            DataTypes.createStructField("person", DataTypes.StringType, true),
            DataTypes.createStructField("template", DataTypes.BinaryType, true),
            DataTypes.createStructField("status", DataTypes.StringType, false),
            DataTypes.createStructField("error_code", DataTypes.StringType, true),
            DataTypes.createStructField("eyes", DataTypes.createArrayType(DataTypes.FloatType, false), true),
            DataTypes.createStructField("pipeline_identity", DataTypes.StringType, false),
            DataTypes.createStructField("timings", TIMINGS, true)});

    private static final StructType INPUT = new StructType(new StructField[]{
            DataTypes.createStructField("image_id", DataTypes.StringType, false),
            DataTypes.createStructField("person", DataTypes.StringType, true)});

    /** Where the images come from. */
    public enum InputKind {
        /** {@code root/Person/*.jpg}, listed recursively; the person is the parent folder's name. */
        FOLDERS,
        /** A text file, one image path per line, optionally followed by a tab and the person. */
        LIST,
        /** A Parquet or CSV (with header) table with a {@code path} column and an optional {@code person} column. */
        TABLE
    }

    /**
     * @param batchSize  images per committed batch: what a killed job can lose at most
     * @param partitions tasks per batch (0: Spark's default parallelism, i.e. one task per core)
     */
    public record Request(InputKind kind, String input, String output, PipelineSpec pipeline, int batchSize, int partitions) {
        public Request {
            if (batchSize < 1) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, "the batch size must be positive, got " + batchSize);
            }
        }
    }

    /** What a run did: images in the input, already in the table, enrolled now (of which failed), batches, seconds. */
    public record Summary(long inputImages, long alreadyEnrolled, long enrolled, long failed, int batches, double seconds,
                          String pipelineIdentity) {
    }

    private EnrolJob() {
    }

    public static Summary run(SparkSession spark, Request request, PrintStream log) {
        long t0 = System.nanoTime();
        // The identity the driver computes is the executors' too: the same spec resolves to the same pipeline.
        FacePipeline probe = PipelinePool.borrow(request.pipeline());
        String identity;
        try {
            identity = probe.identity().canonicalText();
        } finally {
            PipelinePool.release(request.pipeline(), probe);
        }
        Dataset<Row> input = listInput(spark, request).dropDuplicates("image_id");
        Dataset<Row> done = TemplateTable.read(spark, request.output())
                .filter(col("pipeline_identity").equalTo(lit(identity))).select("image_id");
        // The driver holds the to-do list (a path and a name per image: ~100 MB for a million) to cut exact batches.
        List<Row> todo = input.join(done, input.col("image_id").equalTo(done.col("image_id")), "left_anti")
                .orderBy("image_id").collectAsList();
        long inputCount = input.count();
        long enrolled = 0;
        long failed = 0;
        int batches = (int) ((todo.size() + (long) request.batchSize() - 1) / request.batchSize());
        int partitions = request.partitions() > 0 ? request.partitions() : spark.sparkContext().defaultParallelism();
        ExpressionEncoder<Row> out = ExpressionEncoder.apply(SCHEMA);
        for (int b = 0; b < batches; b++) {
            List<Row> slice = todo.subList(b * request.batchSize(), Math.min(todo.size(), (b + 1) * request.batchSize()));
            Dataset<Row> rows = spark.createDataFrame(slice, INPUT)
                    .repartition(Math.min(partitions, slice.size()))
                    .mapPartitions(new EnrolPartition(request.pipeline(), identity), out)
                    .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
            try {
                rows.write().mode("append").parquet(request.output());
                long f = rows.filter(col("status").equalTo(FAILED)).count();
                enrolled += slice.size();
                failed += f;
            } finally {
                rows.unpersist();
            }
            log.printf(Locale.ROOT, "committed batch %d of %d: %d images (%d failed)%n", b + 1, batches, slice.size(), failed);
            log.flush();
        }
        return new Summary(inputCount, inputCount - todo.size(), enrolled, failed, batches,
                (System.nanoTime() - t0) / 1e9, identity);
    }

    /** (image_id, person) of every input image. */
    static Dataset<Row> listInput(SparkSession spark, Request request) {
        return switch (request.kind()) {
            case FOLDERS -> {
                // binaryFile lists (and would read) files; only the path is selected, so no bytes are read here:
                // each executor reads its own images, where it enrols them.
                Dataset<Row> files = spark.read().format("binaryFile")
                        .option("recursiveFileLookup", "true")
                        .option("pathGlobFilter", "*.{jpg,jpeg,png,bmp,JPG,JPEG,PNG,BMP}")
                        .load(request.input()).select(col("path").as("image_id"));
                yield files.withColumn("person", element_at(split(col("image_id"), "/"), -2));
            }
            case LIST -> spark.read().text(request.input())
                    .filter(col("value").notEqual(lit("")))
                    .select(element_at(split(col("value"), "\t"), 1).as("image_id"),
                            org.apache.spark.sql.functions.when(org.apache.spark.sql.functions.size(split(col("value"), "\t")).geq(2),
                                    element_at(split(col("value"), "\t"), 2)).as("person"));
            case TABLE -> {
                Dataset<Row> t = request.input().toLowerCase(Locale.ROOT).endsWith(".csv")
                        ? spark.read().option("header", "true").csv(request.input())
                        : spark.read().parquet(request.input());
                if (!List.of(t.columns()).contains("path")) {
                    throw new FaceException(ErrorCode.CONFIG_ERROR, "the input table " + request.input()
                            + " has no 'path' column (columns: " + String.join(", ", t.columns()) + ")");
                }
                yield t.select(col("path").as("image_id"),
                        List.of(t.columns()).contains("person") ? col("person").cast("string") : lit(null).cast("string").as("person"));
            }
        };
    }

    /** One task: borrows this executor's pipeline for the partition, enrols image by image, gives it back. */
    private record EnrolPartition(PipelineSpec spec, String identity) implements MapPartitionsFunction<Row, Row> {
        @Override
        public Iterator<Row> call(Iterator<Row> images) throws IOException {
            Configuration conf = new Configuration();
            FacePipeline pipeline = PipelinePool.borrow(spec);
            List<Row> rows = new ArrayList<>();
            try {
                while (images.hasNext()) {
                    Row in = images.next();
                    rows.add(enrol(pipeline, conf, in.getString(0), in.getString(1)));
                }
            } finally {
                PipelinePool.release(spec, pipeline);
            }
            return rows.iterator();
        }

        private Row enrol(FacePipeline pipeline, Configuration conf, String imageId, String person) {
            byte[] bytes;
            try {
                bytes = read(conf, imageId);
            } catch (IOException e) {
                return failedRow(imageId, null, person, ErrorCode.INPUT_LOCATION_ERROR);
            }
            String sha = HexFormat.of().formatHex(sha256(bytes));
            Enrolment e;
            try {
                e = pipeline.enrol(bytes, imageId);
            } catch (FaceException fe) {
                // An input that cannot be decoded is this image's failure, not the job's; model and engine errors
                // are not per image: they fail the task, and Spark retries it or stops the job.
                if (!perImage(fe.code())) {
                    throw fe;
                }
                return failedRow(imageId, sha, person, fe.code());
            }
            Template t = e.template();
            var st = e.timings();
            Row timings = RowFactory.create(st.decodeNanos() / 1e6, st.detectNanos() / 1e6, st.alignNanos() / 1e6,
                    st.embedNanos() / 1e6, st.totalNanos() / 1e6);
            if (t.isFailed()) {
                return RowFactory.create(imageId, sha, person, null, FAILED, t.failure().name(), null, identity, timings);
            }
            Landmarks5 l = t.landmarks();
            float[] eyes = {(float) l.imageLeftEye().x(), (float) l.imageLeftEye().y(),
                    (float) l.imageRightEye().x(), (float) l.imageRightEye().y()};
            return RowFactory.create(imageId, sha, person, TemplateCodec.encode(t), OK, null, toList(eyes), identity, timings);
        }

        private Row failedRow(String imageId, String sha, String person, ErrorCode code) {
            return RowFactory.create(imageId, sha, person, null, FAILED, code.name(), null, identity, null);
        }
    }

    private static boolean perImage(ErrorCode code) {
        return switch (code) {
            case INPUT_LOCATION_ERROR, IMAGE_DECODE_ERROR, IMAGE_SIZE_REFUSED, NO_FACE -> true;
            default -> false;
        };
    }

    private static scala.collection.immutable.Seq<Float> toList(float[] v) {
        List<Float> l = new ArrayList<>(v.length);
        for (float f : v) {
            l.add(f);
        }
        return scala.jdk.javaapi.CollectionConverters.asScala(l).toList();
    }

    private static byte[] read(Configuration conf, String imageId) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(imageId);
        FileSystem fs = p.getFileSystem(conf);
        try (FSDataInputStream in = fs.open(p)) {
            return in.readAllBytes();
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "this JDK has no SHA-256", e);
        }
    }
}
