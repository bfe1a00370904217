package dev.sameface.spark;

import dev.sameface.evaluation.EvaluationResult;
import dev.sameface.evaluation.OperatingPoint;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Enrol on local[2] in a separate JVM, kill it (SIGKILL) after its first committed batch, look at what is visible,
 * resume in this JVM, then score what was enrolled: the CI-sized round trip of both jobs on real LFW photos.
 */
@Tag("slow")
class EnrolJobTest {
    private static final int BATCH = 25;

    @TempDir
    Path tmp;

    @Test
    void aKilledEnrolmentShowsWholeBatchesOnlyAndTheRerunFinishesIt() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("lfw"));
        int photos = LfwSubset.create(root, 90, 12);
        // Not a photo: must come out as a failed row with its code, never lost.
        Files.write(Files.createDirectories(root.resolve("Not_A_Person")).resolve("broken.jpg"), "not a jpeg".getBytes(StandardCharsets.UTF_8));
        int total = photos + 1;
        Path table = tmp.resolve("templates");

        Process child = new ProcessBuilder(javaCommand("enrol", "--master", "local[2]", "--folders", root.toString(),
                "--out", table.toString(), "--batch", String.valueOf(BATCH))).redirectErrorStream(true).start();
        List<String> childOutput = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                childOutput.add(line);
                if (line.startsWith("committed batch 1 of")) {
                    break;
                }
            }
            // Killed in the middle of batch 2, the way a lost executor or an operator's kill -9 stops it.
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(childOutput).as("the child's output").anyMatch(l -> l.startsWith("committed batch 1 of"));

        SparkSession spark = SparkSession.builder().master("local[2]").appName("enrol-test").config("spark.ui.enabled", "false").getOrCreate();
        try {
            long visible = TemplateTable.read(spark, table.toString()).count();
            assertThat(visible).as("rows visible after the kill: whole batches").isPositive().isLessThan(total);
            assertThat(visible % BATCH).as("rows visible after the kill: whole batches of " + BATCH).isZero();

            ByteArrayOutputStream log = new ByteArrayOutputStream();
            EnrolJob.Summary resumed = EnrolJob.run(spark, new EnrolJob.Request(EnrolJob.InputKind.FOLDERS, root.toString(),
                    table.toString(), PipelineSpec.defaults(), BATCH, 0), new PrintStream(log, true, StandardCharsets.UTF_8));
            assertThat(resumed.inputImages()).isEqualTo(total);
            assertThat(resumed.alreadyEnrolled()).isEqualTo(visible);
            assertThat(resumed.enrolled()).isEqualTo(total - visible);
            // One pipeline per task slot, reused across partitions and batches: never one per image.
            assertThat(PipelinePool.created()).isBetween(1, 2);

            Dataset<Row> rows = TemplateTable.read(spark, table.toString());
            assertThat(rows.count()).isEqualTo(total);
            assertThat(rows.select("image_id").distinct().count()).isEqualTo(total);
            Row broken = rows.filter(col("image_id").endsWith("broken.jpg")).first();
            assertThat(broken.<String>getAs("status")).isEqualTo(EnrolJob.FAILED);
            assertThat(broken.<String>getAs("error_code")).isEqualTo("IMAGE_DECODE_ERROR");
            Row good = rows.filter(col("status").equalTo(EnrolJob.OK)).first();
            assertThat(good.<byte[]>getAs("template")).isNotEmpty();
            assertThat(good.getList(good.fieldIndex("eyes"))).hasSize(4);
            assertThat(good.getStruct(good.fieldIndex("timings")).getDouble(4)).isPositive();

            EnrolJob.Summary again = EnrolJob.run(spark, new EnrolJob.Request(EnrolJob.InputKind.FOLDERS, root.toString(),
                    table.toString(), PipelineSpec.defaults(), BATCH, 0), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertThat(again.enrolled()).as("a rerun of a finished table enrols nothing").isZero();

            EvaluationResult scored = ScoreJob.run(spark, new ScoreJob.Request(table.toString(), null, -1, 42,
                    List.of(1e-1), 0, tmp.resolve("report"), 50, 50), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            long genuine = rows.filter(col("person").notEqual("Not_A_Person")).groupBy("person").count().collectAsList().stream()
                    .mapToLong(r -> r.getLong(1) * (r.getLong(1) - 1) / 2).sum();
            assertThat(scored.configurations().getFirst().genuine()).isEqualTo(genuine);
            assertThat(scored.configurations().getFirst().impostors()).isEqualTo((long) total * (total - 1) / 2 - genuine);
            OperatingPoint p = scored.configurations().getFirst().operatingPoints().getFirst();
            assertThat(p.measured()).isTrue();
            assertThat(p.fmr()).isLessThanOrEqualTo(1e-1);
            assertThat(tmp.resolve("report/result.json")).isNotEmptyFile();
            assertThat(tmp.resolve("report/report.md")).isNotEmptyFile();
        } finally {
            spark.stop();
        }
    }

    /** This JVM's java, its class path and the options the launcher passes. */
    private static List<String> javaCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                "dev.sameface.spark.SparkCommand"));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
