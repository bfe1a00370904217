package dev.sameface.spark;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Template;
import dev.sameface.api.TemplateCodec;
import dev.sameface.evaluation.DotKernel;
import dev.sameface.evaluation.Enrolment;
import dev.sameface.evaluation.EvaluationResult;
import dev.sameface.evaluation.IdentityFolderProtocol;
import dev.sameface.evaluation.OperatingPoint;
import dev.sameface.evaluation.ReportWriter;
import dev.sameface.evaluation.ScoreSet;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.PrintStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Scores a template table the FRVT way at cluster scale. Genuine pairs: every pair of images of one person.
 * Impostor pairs: every pair of two different people, or a seeded sample drawn exactly as {@code sameface evaluate}
 * draws it ({@link IdentityFolderProtocol#sampleImpostors}), so both score the same pairs.
 *
 * <p>Templates are sorted by (person, image) and cut into row blocks; each task scores one pair of blocks, a
 * blocked matrix product whose inner loop is the evaluation library's dot-product kernel (Vector API). Impostor
 * scores are never stored: each task counts them into {@link ExactSelection} histograms, and two passes give the
 * exact threshold at every target FMR (the very threshold {@link ScoreSet#thresholdAtFmr} picks from a sorted
 * array) and its false-match count. Genuine scores (few: millions at most) go to the driver, where the evaluation
 * library computes FNMR, intervals and per-identity FNMR and writes the same result.json, report.md and charts as
 * {@code sameface evaluate}.
 */
public final class ScoreJob {
    /**
     * @param templates   the template table (the enrol job's output)
     * @param identity    the pipeline identity to score; null when the table holds one
     * @param impostors   impostor pairs to sample, or -1 for all of them
     * @param seed        the sampling seed and the subject bootstrap's, as in {@code sameface evaluate}
     * @param blockRows   rows per block (0: chosen from the rows and the parallelism)
     * @param out         local folder for result.json, report.md and the charts
     * @param minFalseMatches the reporting rule, as {@code sameface evaluate --min-false-matches}: a target FMR is
     *                    reported only when impostors &times; target reaches it (default 100, at least 30)
     */
    public record Request(String templates, String identity, long impostors, long seed, List<Double> targetFmrs,
                          int blockRows, Path out, int detPoints, int histogramBins, int minFalseMatches) {
        public Request {
            targetFmrs = List.copyOf(targetFmrs);
            dev.sameface.evaluation.Evaluation.checkTargets("target FMRs", targetFmrs);
            ScoreSet.checkMinFalseMatches("minimum expected false matches", minFalseMatches);
        }

        /** Under the default reporting rule. */
        public Request(String templates, String identity, long impostors, long seed, List<Double> targetFmrs,
                       int blockRows, Path out, int detPoints, int histogramBins) {
            this(templates, identity, impostors, seed, targetFmrs, blockRows, out, detPoints, histogramBins,
                    ScoreSet.DEFAULT_MIN_FALSE_MATCHES);
        }
    }

    private ScoreJob() {
    }

    /** Templates of one block of consecutive rows; a failed template is a zero row flagged in {@code failed}. */
    record Block(int first, int rows, float[] data, boolean[] failed) implements Serializable {
    }

    /** What every task needs besides its two blocks. */
    record Layout(int n, int dim, int[] subjectOf, int[] subjectStart, long[] sampledKeys) implements Serializable {
        int subjectEnd(int row) {
            return subjectStart[subjectOf[row] + 1];
        }
    }

    public static EvaluationResult run(SparkSession spark, Request request, PrintStream log) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Dataset<Row> table = TemplateTable.read(spark, request.templates());
        String identity = request.identity() != null ? request.identity() : onlyIdentity(table, request.templates());
        Dataset<Row> rows = table.filter(col("pipeline_identity").equalTo(lit(identity)))
                .dropDuplicates("image_id")
                .select("image_id", "person", "template")
                .orderBy("person", "image_id");
        JavaPairRDD<Row, Long> indexed = rows.javaRDD().zipWithIndex().persist(StorageLevel.MEMORY_AND_DISK());
        try {
            return score(jsc, indexed, identity, request, log);
        } finally {
            indexed.unpersist(false);
        }
    }

    private static EvaluationResult score(JavaSparkContext jsc, JavaPairRDD<Row, Long> indexed, String identity,
                                          Request request, PrintStream log) {
        List<String> persons = indexed.map(r -> r._1().getString(1)).collect();
        int n = persons.size();
        if (n < 2) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "the template table " + request.templates() + " holds "
                    + n + " template(s) of this pipeline; scoring needs two or more");
        }
        if (persons.contains(null)) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "the template table " + request.templates()
                    + " has rows without a person; genuine and impostor pairs need person labels");
        }
        int[] subjectOf = new int[n];
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i == 0 || !persons.get(i).equals(persons.get(i - 1))) {
                starts.add(i);
            }
            subjectOf[i] = starts.size() - 1;
        }
        starts.add(n);
        int[] subjectStart = starts.stream().mapToInt(Integer::intValue).toArray();
        long genuinePossible = 0;
        for (int s = 0; s + 1 < subjectStart.length; s++) {
            long k = subjectStart[s + 1] - subjectStart[s];
            genuinePossible += k * (k - 1) / 2;
        }
        long impostorPossible = (long) n * (n - 1) / 2 - genuinePossible;
        long[] keys = request.impostors() < 0 ? null : IdentityFolderProtocol.sampleImpostors(n, subjectOf,
                Math.min(request.impostors(), impostorPossible), impostorPossible, request.seed());
        long impostorCount = keys == null ? impostorPossible : keys.length;

        Row anyTemplate = indexed.keys().filter(r -> !r.isNullAt(2)).first();
        Template sample = TemplateCodec.decode((byte[]) anyTemplate.get(2));
        int dim = sample.embedding().dimension();
        int parallelism = jsc.defaultParallelism();
        int blockRows = request.blockRows() > 0 ? request.blockRows() : blockRows(n, parallelism);
        int blockCount = (n + blockRows - 1) / blockRows;
        Broadcast<Layout> layout = jsc.broadcast(new Layout(n, dim, subjectOf, subjectStart, keys));
        JavaRDD<Block> blocks = indexed
                .mapToPair(r -> new Tuple2<>((int) (r._2() / blockRows), new Tuple2<>(r._2().intValue(), (byte[]) r._1().get(2))))
                .groupByKey(new HashPartitioner(blockCount))
                .map(g -> block(g._1() * blockRows, g._2(), dim))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            JavaPairRDD<Block, Block> pairs = blocks.cartesian(blocks).filter(p -> p._1().first() <= p._2().first());
            long t0 = System.nanoTime();
            // Genuine pairs: only blocks that share a person (people are contiguous rows) have any.
            List<Tuple2<long[], float[]>> genuine = pairs
                    .filter(p -> sharesPerson(layout.value(), p._1(), p._2()))
                    .map(p -> genuinePairs(layout.value(), p._1(), p._2())).collect();
            ExactSelection.Counts pass1 = pairs.mapPartitions(it -> impostors(layout.value(), it, new ExactSelection.Counts()))
                    .treeReduce(ExactSelection.Counts::merge);
            if (pass1.scores != impostorCount) {
                throw new FaceException(ErrorCode.INTERNAL_ERROR, "scored " + pass1.scores + " impostor pairs, expected " + impostorCount);
            }
            log.printf(Locale.ROOT, "scored %,d genuine and %,d impostor pairs of %,d templates in %d blocks (pass 1)%n",
                    genuinePossible, impostorCount, n, blockCount);
            // Pass 2: the exact score at each target's rank, from its bucket's low bits.
            Map<Double, ExactSelection.Place> places = new LinkedHashMap<>();
            TreeMap<Integer, Integer> chosen = new TreeMap<>();
            for (double target : request.targetFmrs()) {
                if (impostorCount >= ScoreSet.impostorsNeeded(target, request.minFalseMatches()) && genuinePossible > 0) {
                    ExactSelection.Place p = ExactSelection.place(pass1.coarse, allowed(target, impostorCount));
                    places.put(target, p);
                    chosen.putIfAbsent(p.bucket(), chosen.size());
                }
            }
            int[] chosenBuckets = new int[chosen.size()];
            chosen.forEach((bucket, i) -> chosenBuckets[i] = bucket);
            ExactSelection.Counts pass2 = chosenBuckets.length == 0 ? new ExactSelection.Counts(chosenBuckets)
                    : pairs.mapPartitions(it -> impostors(layout.value(), it, new ExactSelection.Counts(chosenBuckets)))
                    .treeReduce(ExactSelection.Counts::merge);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuSeconds = (pass1.cpuNanos + pass2.cpuNanos) / 1e9;

            GenuineScores g = GenuineScores.of(genuine, subjectOf);
            ScoreSet genuineSet = new ScoreSet(g.scores(), g.subjects(), new float[0]);
            List<OperatingPoint> points = new ArrayList<>();
            for (double target : request.targetFmrs()) {
                ExactSelection.Place p = places.get(target);
                if (p == null) {
                    points.add(OperatingPoint.notMeasured(target, request.minFalseMatches(), impostorCount, g.scores().length));
                    continue;
                }
                ExactSelection.Exact e = ExactSelection.exact(p, pass2.fine[chosen.get(p.bucket())], allowed(target, impostorCount));
                points.add(genuineSet.operatingPointAt(target, Math.nextUp(e.score()), e.strictlyAbove(), impostorCount, request.seed(),
                        request.minFalseMatches()));
            }
            long comparisons = g.scores().length + impostorCount;
            int failed = 0;
            Map<String, Integer> failures = new TreeMap<>();
            for (Block b : blocks.collect()) {
                for (boolean f : b.failed()) {
                    failed += f ? 1 : 0;
                }
            }
            if (failed > 0) {
                failures.put("failed in the template table", failed);
            }
            var stats = new Enrolment.Stats(n, 0, n, failed, failures, 0, 0, 0, parallelism, 0);
            String kernel = DotKernel.best().name() + " on Spark, " + blockCount + " blocks of " + blockRows + " rows";
            var configuration = new EvaluationResult.Configuration("spark", "(template table " + request.templates() + ")",
                    Map.of(), sample.modelFingerprint(), identity, "templates from " + request.templates(), stats,
                    g.scores().length, impostorCount, kernel, dim, seconds,
                    seconds > 0 ? comparisons / seconds : 0, cpuSeconds, cpuSeconds > 0 ? comparisons / cpuSeconds : 0,
                    points, null, Curves.det(pass1.coarse, impostorCount, genuineSet, request.detPoints()),
                    Curves.histogram(pass1.coarse, g.scores(), request.histogramBins()));
            String name = "template table (" + n + " templates, " + (subjectStart.length - 1) + " people, "
                    + (keys == null ? "all impostor pairs" : "impostors seed " + request.seed()) + ")";
            var protocol = new EvaluationResult.Protocol(name, n, g.scores().length, impostorCount,
                    g.subjectCount(), keys == null ? null : request.seed(), 0, null);
            EvaluationResult result = new EvaluationResult("sameface spark score",
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), protocol, request.targetFmrs(), request.minFalseMatches(),
                    List.of(configuration), new LinkedHashMap<>(), List.of());
            return request.out() == null ? result : ReportWriter.write(result, request.out());
        } finally {
            blocks.unpersist(false);
            layout.destroy();
        }
    }

    /** As {@link ScoreSet#thresholdAtFmr}: at most floor(target·N) impostors may reach the threshold. */
    static long allowed(double target, long impostors) {
        return (long) Math.floor(target * impostors * (1 + 1e-12));
    }

    /** Enough blocks for several tasks per core (block pairs grow as blocks²/2), none above 8192 rows (16 MB). */
    static int blockRows(int n, int parallelism) {
        int blocks = Math.max((n + 8191) / 8192, (int) Math.ceil(Math.sqrt(8.0 * parallelism)));
        return Math.max(1, (n + blocks - 1) / blocks);
    }

    private static String onlyIdentity(Dataset<Row> table, String location) {
        List<Row> ids = table.select("pipeline_identity").distinct().limit(3).collectAsList();
        if (ids.size() != 1) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "the template table " + location + " holds "
                    + (ids.isEmpty() ? "no templates" : "templates of several pipelines") + "; name one with --identity");
        }
        return ids.getFirst().getString(0);
    }

    private static Block block(int first, Iterable<Tuple2<Integer, byte[]>> rows, int dim) {
        List<Tuple2<Integer, byte[]>> list = new ArrayList<>();
        rows.forEach(list::add);
        float[] data = new float[list.size() * dim];
        boolean[] failed = new boolean[list.size()];
        for (Tuple2<Integer, byte[]> r : list) {
            int at = r._1() - first;
            if (r._2() == null) {
                failed[at] = true;
                continue;
            }
            Template t = TemplateCodec.decode(r._2());
            if (t.isFailed()) {
                failed[at] = true;
                continue;
            }
            float[] v = t.embedding().vector();
            if (v.length != dim) {
                throw new FaceException(ErrorCode.TEMPLATE_MISMATCH, "templates of one table differ in dimension: " + dim + " and " + v.length);
            }
            System.arraycopy(v, 0, data, at * dim, dim);
        }
        return new Block(first, list.size(), data, failed);
    }

    private static boolean sharesPerson(Layout l, Block a, Block b) {
        return a.first() == b.first() || l.subjectOf()[a.first() + a.rows() - 1] == l.subjectOf()[b.first()];
    }

    /** Both blocks' rows in one array (the kernel reads two rows of one array): a's rows, then b's unless b is a. */
    private static float[] joined(Block a, Block b) {
        if (a.first() == b.first()) {
            return a.data();
        }
        float[] d = Arrays.copyOf(a.data(), a.data().length + b.data().length);
        System.arraycopy(b.data(), 0, d, a.data().length, b.data().length);
        return d;
    }

    /** Same-person pairs (i &lt; j) of rows i in a, j in b: keys i·n+j and scores. */
    private static Tuple2<long[], float[]> genuinePairs(Layout l, Block a, Block b) {
        DotKernel kernel = DotKernel.best();
        float[] d = joined(a, b);
        int dim = l.dim();
        int bOffset = a.first() == b.first() ? 0 : a.rows();
        LongFloatList out = new LongFloatList();
        for (int i = a.first(); i < a.first() + a.rows(); i++) {
            int from = Math.max(i + 1, b.first());
            int to = Math.min(l.subjectEnd(i), b.first() + b.rows());
            for (int j = from; j < to; j++) {
                boolean fail = a.failed()[i - a.first()] || b.failed()[j - b.first()];
                float s = fail ? Float.NEGATIVE_INFINITY
                        : kernel.dot(d, (i - a.first()) * dim, (bOffset + j - b.first()) * dim, dim);
                out.add((long) i * l.n() + j, s);
            }
        }
        return new Tuple2<>(out.keys(), out.values());
    }

    /** One task: every impostor pair of its block pairs counted into {@code counts}; the scores are not kept. */
    private static Iterator<ExactSelection.Counts> impostors(Layout l, Iterator<Tuple2<Block, Block>> pairs, ExactSelection.Counts counts) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        DotKernel kernel = DotKernel.best();
        float[] four = new float[4];
        while (pairs.hasNext()) {
            Tuple2<Block, Block> p = pairs.next();
            Block a = p._1();
            Block b = p._2();
            float[] d = joined(a, b);
            int dim = l.dim();
            int bOffset = a.first() == b.first() ? 0 : a.rows();
            int bEnd = b.first() + b.rows();
            for (int i = a.first(); i < a.first() + a.rows(); i++) {
                int ai = (i - a.first()) * dim;
                boolean aFailed = a.failed()[i - a.first()];
                if (l.sampledKeys() == null) {
                    // All pairs (i, j > i) in b, minus i's own person (a contiguous run of rows).
                    int from = Math.max(i + 1, b.first());
                    int personFrom = l.subjectStart()[l.subjectOf()[i]];
                    int personTo = l.subjectEnd(i);
                    run(kernel, d, ai, aFailed, b, bOffset, dim, from, Math.min(bEnd, Math.max(from, personFrom)), counts, four);
                    run(kernel, d, ai, aFailed, b, bOffset, dim, Math.max(from, personTo), bEnd, counts, four);
                } else {
                    long[] keys = l.sampledKeys();
                    int k = lowerBound(keys, (long) i * l.n() + b.first());
                    long stop = (long) i * l.n() + bEnd;
                    for (; k < keys.length && keys[k] < stop; k++) {
                        int j = (int) (keys[k] - (long) i * l.n());
                        boolean fail = aFailed || b.failed()[j - b.first()];
                        counts.add(fail ? Float.NEGATIVE_INFINITY : kernel.dot(d, ai, (bOffset + j - b.first()) * dim, dim));
                    }
                }
            }
        }
        counts.cpuNanos += mx.getCurrentThreadCpuTime() - c0;
        return List.of(counts).iterator();
    }

    /** Row ai against rows [from, to) of b, four at a time (row ai's loads shared; same bits as one at a time). */
    private static void run(DotKernel kernel, float[] d, int ai, boolean aFailed, Block b, int bOffset, int dim,
                            int from, int to, ExactSelection.Counts counts, float[] four) {
        int j = from;
        for (; j + 4 <= to; j += 4) {
            int r = bOffset + j - b.first();
            if (aFailed || b.failed()[r - bOffset] || b.failed()[r - bOffset + 1] || b.failed()[r - bOffset + 2]
                    || b.failed()[r - bOffset + 3]) {
                for (int q = 0; q < 4; q++) {
                    boolean fail = aFailed || b.failed()[r - bOffset + q];
                    counts.add(fail ? Float.NEGATIVE_INFINITY : kernel.dot(d, ai, (r + q) * dim, dim));
                }
                continue;
            }
            kernel.dot4(d, ai, r * dim, (r + 1) * dim, (r + 2) * dim, (r + 3) * dim, dim, four);
            counts.add(four[0]);
            counts.add(four[1]);
            counts.add(four[2]);
            counts.add(four[3]);
        }
        for (; j < to; j++) {
            int r = bOffset + j - b.first();
            boolean fail = aFailed || b.failed()[r - bOffset];
            counts.add(fail ? Float.NEGATIVE_INFINITY : kernel.dot(d, ai, r * dim, dim));
        }
    }

    private static int lowerBound(long[] sorted, long key) {
        int i = Arrays.binarySearch(sorted, key);
        return i >= 0 ? i : -i - 1;
    }
}
