package dev.sameface.spark;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Template;
import dev.sameface.api.TemplateCodec;
import dev.sameface.evaluation.ConfigurationSpec;
import dev.sameface.evaluation.DotKernel;
import dev.sameface.evaluation.Evaluation;
import dev.sameface.evaluation.EvaluationResult;
import dev.sameface.evaluation.OperatingPoint;
import dev.sameface.evaluation.PairSet;
import dev.sameface.evaluation.Progress;
import dev.sameface.evaluation.ProtocolSpec;
import dev.sameface.evaluation.ReportWriter;
import dev.sameface.evaluation.ScoreSet;
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
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
    /** Per table row in (person, image) order: its embedding (null when failed) and its person. */
    static final List<float[]> vectors = new ArrayList<>();
    static final List<String> persons = new ArrayList<>();

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
                vectors.add(t.isFailed() ? null : t.embedding().vector());
                persons.add(images.subjects().get(i));
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
        return evaluate(impostors, seed, TARGETS, ScoreSet.DEFAULT_MIN_FALSE_MATCHES);
    }

    private static EvaluationResult evaluate(long impostors, long seed, List<Double> targets, int minFalseMatches) {
        return Evaluation.run(new Evaluation.Request(new ProtocolSpec.IdentityFolders(root, impostors, seed), null,
                        List.of(ConfigurationSpec.defaults()), new Evaluation.Options(targets, seed, store, 50, 50, 2, minFalseMatches)),
                Progress.silent());
    }

    /** Every impostor score of the table (failed templates: -Infinity), by the kernel both scorers use, sorted. */
    private static float[] allImpostorScoresSorted() {
        int n = vectors.size();
        int dim = vectors.stream().filter(v -> v != null).findFirst().orElseThrow().length;
        float[] d = new float[n * dim];
        for (int i = 0; i < n; i++) {
            if (vectors.get(i) != null) {
                System.arraycopy(vectors.get(i), 0, d, i * dim, dim);
            }
        }
        DotKernel kernel = DotKernel.best();
        float[] out = new float[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (!persons.get(i).equals(persons.get(j))) {
                    out[k++] = vectors.get(i) == null || vectors.get(j) == null ? Float.NEGATIVE_INFINITY
                            : kernel.dot(d, i * dim, j * dim, dim);
                }
            }
        }
        float[] scores = Arrays.copyOf(out, k);
        Arrays.sort(scores);
        return scores;
    }

    @Test
    void theRuleOfThirtyReportsATargetTheDefaultRefusesAtTheExactOrderStatistic() {
        float[] impostors = allImpostorScoresSorted();
        long n = impostors.length;
        // 50.5 false matches expected: between the rule of 30 and the default 100 (the .5 keeps floor(FMR·N) = 50 clear
        // of rounding); 20.5 expected: below even the rule of 30.
        double relaxed = 50.5 / n;
        double tooFew = 20.5 / n;
        List<Double> targets = List.of(1e-2, relaxed, tooFew);
        EvaluationResult strict = ScoreJob.run(spark, new ScoreJob.Request(table.toString(), null, -1, 42, targets, 0,
                null, 50, 50), new PrintStream(OutputStream.nullOutputStream()));
        EvaluationResult loose = ScoreJob.run(spark, new ScoreJob.Request(table.toString(), null, -1, 42, targets, 0,
                null, 50, 50, 30), new PrintStream(OutputStream.nullOutputStream()));
        assertThat(strict.minFalseMatches()).isEqualTo(100);
        assertThat(loose.minFalseMatches()).isEqualTo(30);
        List<OperatingPoint> s = strict.configurations().getFirst().operatingPoints();
        List<OperatingPoint> l = loose.configurations().getFirst().operatingPoints();
        assertThat(l.getFirst().impostors()).isEqualTo(n);

        // The default rule refuses 50.5 expected false matches; the rule of 30 reports it, marked as relaxed.
        assertThat(s.get(1).status()).isEqualTo(OperatingPoint.NOT_ENOUGH_IMPOSTORS);
        assertThat(s.get(1).impostorsNeeded()).isEqualTo(ScoreSet.impostorsNeeded(relaxed, 100)).isGreaterThan(n);
        OperatingPoint p = l.get(1);
        assertThat(p.measured()).isTrue();
        assertThat(p.measuredUnderRelaxedRule()).isTrue();
        assertThat(p.minFalseMatches()).isEqualTo(30);
        assertThat(p.expectedFalseMatches()).isCloseTo(50.5, within(1e-9));
        // Its threshold is the exact order statistic: just above the 51st highest impostor score.
        assertThat(p.threshold()).isEqualTo(Math.nextUp(impostors[(int) n - 1 - 50]));
        long reaching = java.util.stream.IntStream.range(0, impostors.length).filter(i -> impostors[i] >= p.threshold()).count();
        assertThat(p.falseMatches()).isEqualTo(reaching).isLessThanOrEqualTo(50);

        // Below 30 expected false matches it is still refused; a target both rules report is unchanged by the rule.
        assertThat(l.get(2).status()).isEqualTo(OperatingPoint.NOT_ENOUGH_IMPOSTORS);
        assertThat(l.get(2).impostorsNeeded()).isEqualTo(ScoreSet.impostorsNeeded(tooFew, 30)).isGreaterThan(n);
        assertThat(l.getFirst().measuredUnderRelaxedRule()).isFalse();
        assertThat(l.getFirst().threshold()).isEqualTo(s.getFirst().threshold());

        // One machine under the same rule: the same points, every field.
        EvaluationResult single = evaluate(Long.MAX_VALUE, 42, targets, 30);
        assertThat(single.configurations().getFirst().operatingPoints()).isEqualTo(l);

        // The report says which rule it used and marks the relaxed row only.
        String md = ReportWriter.markdown(loose);
        assertThat(md).contains("Reporting rule: a target FMR is reported only when at least 30 false matches are expected")
                .contains("Doddington's rule of 30");
        List<String> marked = md.lines().filter(line -> line.startsWith("| ") && line.contains(" † |")).toList();
        assertThat(marked).hasSize(1);
        assertThat(marked.getFirst()).contains("| 50.5 |");
        assertThat(ReportWriter.markdown(strict)).doesNotContain("†").contains("the default rule");
    }

    @Test
    void fewerThanThirtyExpectedFalseMatchesIsAConfigurationError() {
        assertThatThrownBy(() -> new ScoreJob.Request(table.toString(), null, -1, 42, TARGETS, 0, null, 50, 50, 29))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR))
                .hasMessageContaining("at least 30");
        assertThatThrownBy(() -> new Evaluation.Options(TARGETS, 42, store, 50, 50, 1, 29))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR));
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
