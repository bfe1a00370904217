package dev.sameface.spark;

import dev.sameface.api.Template;
import dev.sameface.api.TemplateCodec;
import dev.sameface.evaluation.ConfigurationSpec;
import dev.sameface.evaluation.Evaluation;
import dev.sameface.evaluation.EvaluationResult;
import dev.sameface.evaluation.OperatingPoint;
import dev.sameface.evaluation.PairSet;
import dev.sameface.evaluation.Progress;
import dev.sameface.evaluation.ProtocolSpec;
import dev.sameface.evaluation.TemplateStore;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spark score job on the templates of a single-machine {@code evaluate} run finds the same thresholds, counts,
 * FNMRs, intervals and per-identity FNMRs for the same pairs: a seeded impostor sample and all impostor pairs.
 */
@Tag("slow")
class ScoreJobTest {
    private static final List<Double> TARGETS = List.of(1e-2, 1e-3, 1e-4);
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path root;
    static Path store;
    static Path table;

    @BeforeAll
    static void enrolOnOneMachine() throws Exception {
        root = Files.createDirectories(tmp.resolve("lfw"));
        assertThat(LfwSubset.create(root, 520, 40)).isGreaterThan(480);
        store = tmp.resolve("store");
        // The single machine enrols (2 threads) and fills its template store; each run below reuses it.
        EvaluationResult r = evaluate(1000, 7);
        String identity = r.configurations().getFirst().identity();
        PairSet images = new ProtocolSpec.IdentityFolders(root, 0, 7).read();
        List<Row> rows = new ArrayList<>();
        try (TemplateStore s = TemplateStore.open(store, identity)) {
            for (int i = 0; i < images.images().size(); i++) {
                Path p = images.images().get(i);
                Template t = s.get(TemplateStore.digest(p));
                assertThat(t).as("template of %s in the store", p).isNotNull();
                rows.add(RowFactory.create(p.toString(), null, images.subjects().get(i), t.isFailed() ? null : TemplateCodec.encode(t),
                        t.isFailed() ? EnrolJob.FAILED : EnrolJob.OK, t.isFailed() ? t.failure().name() : null, null, identity, null));
            }
        }
        spark = SparkSession.builder().master("local[2]").appName("score-test").config("spark.ui.enabled", "false").getOrCreate();
        table = tmp.resolve("templates");
        spark.createDataFrame(rows, EnrolJob.SCHEMA).write().parquet(table.toString());
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static EvaluationResult evaluate(long impostors, long seed) {
        return Evaluation.run(new Evaluation.Request(new ProtocolSpec.IdentityFolders(root, impostors, seed), null,
                        List.of(ConfigurationSpec.defaults()), new Evaluation.Options(TARGETS, seed, store, 50, 50, 2)),
                Progress.silent());
    }

    @Test
    void aSeededSampleGivesTheSingleMachineNumbers() {
        assertSame(evaluate(100_000, 11), spark(100_000, 11, 0));
    }

    @Test
    void allImpostorPairsGiveTheSingleMachineNumbersWhateverTheBlocking() {
        EvaluationResult one = evaluate(Long.MAX_VALUE, 42);
        assertSame(one, spark(-1, 42, 0));
        // Blocks that split people and a last short block: the same pairs, so the same numbers.
        assertSame(one, spark(-1, 42, 97));
    }

    private static EvaluationResult spark(long impostors, long seed, int blockRows) {
        return ScoreJob.run(spark, new ScoreJob.Request(table.toString(), null, impostors, seed, TARGETS, blockRows,
                null, 50, 50), new PrintStream(OutputStream.nullOutputStream()));
    }

    private static void assertSame(EvaluationResult single, EvaluationResult distributed) {
        EvaluationResult.Configuration a = single.configurations().getFirst();
        EvaluationResult.Configuration b = distributed.configurations().getFirst();
        assertThat(b.genuine()).isEqualTo(a.genuine());
        assertThat(b.impostors()).isEqualTo(a.impostors());
        assertThat(a.operatingPoints().stream().filter(OperatingPoint::measured).count())
                .as("targets the subset can measure").isGreaterThanOrEqualTo(2);
        for (int i = 0; i < TARGETS.size(); i++) {
            OperatingPoint x = a.operatingPoints().get(i);
            OperatingPoint y = b.operatingPoints().get(i);
            // Every field: status, counts, threshold bits, FNMR, intervals, per-identity FNMR and its bootstrap.
            assertThat(y).as("FMR %s", TARGETS.get(i)).isEqualTo(x);
        }
    }
}
