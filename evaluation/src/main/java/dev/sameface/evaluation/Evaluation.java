package dev.sameface.evaluation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.Pipelines;
import dev.sameface.pipeline.TemplateComparator;
import dev.sameface.pipeline.config.PipelineConfig;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a protocol through one or more pipeline configurations: enrol every image once per pipeline identity (through
 * the template store), score all pairs on the template matrix with each configuration's matcher, and compute the
 * FRVT metrics. Configurations with the same identity share templates; so do later runs.
 *
 * <p>The entry point is {@link #run(Request, Progress)}:
 * <pre>{@code
 * EvaluationResult r = Evaluation.run(new Evaluation.Request(
 *         new ProtocolSpec.LfwPairs(Path.of("lfw/pairs.txt"), null), null,
 *         List.of(ConfigurationSpec.defaults()), Evaluation.Options.defaults()), Progress.silent());
 * ReportWriter.write(r, Path.of("eval-lfw"));   // result.json, report.md, charts
 * }</pre>
 * {@link Calibration} turns the same run into a threshold written into a configuration file.
 */
public final class Evaluation {
    /** The built-in matcher's name: cosine of unit vectors, scored by the dot-product kernel. */
    static final String COSINE = "cosine";
    public static final List<Double> DEFAULT_TARGETS = List.of(1e-2, 1e-3, 1e-4, 1e-5);

    /**
     * @param targetFmrs    FMRs at which FNMR is reported
     * @param seed          seeds the subject bootstrap (the impostor sample is the protocol's)
     * @param storeDir      where the template store lives
     * @param detPoints     thresholds per DET curve
     * @param histogramBins bins per score histogram
     * @param threads       enrolment workers, each with its own single-threaded pipeline (1..cores)
     * @param minFalseMatches the reporting rule: a target FMR is reported only with at least this many false matches
     *                      expected there (impostors &times; target); {@link ScoreSet#DEFAULT_MIN_FALSE_MATCHES} by
     *                      default, {@link ScoreSet#LOWEST_MIN_FALSE_MATCHES} at least
     */
    public record Options(List<Double> targetFmrs, long seed, Path storeDir, int detPoints, int histogramBins,
                          int threads, int minFalseMatches) {
        public Options {
            targetFmrs = List.copyOf(targetFmrs);
            checkTargets("target FMRs", targetFmrs);
            Enrolment.checkThreads("enrolment threads", threads);
            ScoreSet.checkMinFalseMatches("minimum expected false matches", minFalseMatches);
        }

        /** Under the default reporting rule. */
        public Options(List<Double> targetFmrs, long seed, Path storeDir, int detPoints, int histogramBins, int threads) {
            this(targetFmrs, seed, storeDir, detPoints, histogramBins, threads, ScoreSet.DEFAULT_MIN_FALSE_MATCHES);
        }

        /** Enrolling on one thread. */
        public Options(List<Double> targetFmrs, long seed, Path storeDir, int detPoints, int histogramBins) {
            this(targetFmrs, seed, storeDir, detPoints, histogramBins, 1);
        }

        public static Options defaults() {
            return new Options(DEFAULT_TARGETS, 42, TemplateStore.defaultDirectory(), 200, 100);
        }
    }

    /**
     * One evaluation.
     *
     * @param protocol       the comparisons whose FNMR at fixed FMR is measured
     * @param accuracyPairs  an LFW-format pairs file whose n-fold accuracy is reported too, from the same templates
     *                       (images under {@link ProtocolSpec#accuracyRoot}); null for none
     * @param configurations the pipelines to evaluate, at least one; all on one DET chart
     */
    public record Request(ProtocolSpec protocol, Path accuracyPairs, List<ConfigurationSpec> configurations, Options options) {
        public Request {
            java.util.Objects.requireNonNull(protocol, "protocol");
            java.util.Objects.requireNonNull(options, "options");
            configurations = List.copyOf(configurations);
            if (configurations.isEmpty()) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, "an evaluation needs at least one configuration");
            }
        }
    }

    /** Evaluates with the real face pipeline of each configuration. */
    public static EvaluationResult run(Request request, Progress progress) {
        return run(request, new PipelineExtractorFactory(), progress);
    }

    /** Evaluates with templates from {@code factory}'s extractors (the pipeline's, or a test's own). */
    public static EvaluationResult run(Request request, ExtractorFactory factory, Progress progress) {
        PairSet pairs = request.protocol().read();
        PairSet accuracy = request.accuracyPairs() == null ? null
                : LfwPairsProtocol.read(request.accuracyPairs(), request.protocol().accuracyRoot(request.accuracyPairs()), true);
        return new Evaluation(factory, new PairScorer(), request.options(), progress)
                .run(pairs, accuracy, request.configurations(), request.protocol().samplingSeed());
    }

    /**
     * @param name what the user set, for the message (e.g. {@code --fmr})
     * @throws FaceException CONFIG_ERROR for a target outside (0, 1)
     */
    public static void checkTargets(String name, List<Double> targets) {
        for (double t : targets) {
            if (!(t > 0 && t < 1)) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, name + " must be between 0 and 1, got " + t);
            }
        }
    }

    private final ExtractorFactory factory;
    private final PairScorer scorer;
    private final Options options;
    private final Progress progress;

    /**
     * For callers that bring their own protocol reading; most want {@link #run(Request, Progress)}.
     *
     * @param scorer scores the configurations whose matcher is cosine; other matchers score through the Matcher SPI
     */
    public Evaluation(ExtractorFactory factory, PairScorer scorer, Options options, Progress progress) {
        this.factory = factory;
        this.scorer = scorer;
        this.options = options;
        this.progress = progress;
    }

    /** @param seed the protocol's impostor sampling seed, for the record (null when it does not sample) */
    public EvaluationResult run(PairSet pairs, List<ConfigurationSpec> specs, Long seed) {
        return run(pairs, null, specs, seed);
    }

    /**
     * @param accuracyPairs a folded pairs protocol (LFW pairs.txt) whose n-fold accuracy is reported beside the main
     *                      protocol's FMR/FNMR, from the same templates; null for none
     */
    public EvaluationResult run(PairSet pairs, PairSet accuracyPairs, List<ConfigurationSpec> specs, Long seed) {
        Split split = Split.of(pairs);
        Images images = Images.of(pairs, accuracyPairs);
        Map<String, TemplateStore> stores = new HashMap<>();
        // Counted before enrolment writes anything: a run that recomputes what an earlier sameface stored says so
        // (console summary, report.md and result.json), instead of silently filling a new store.
        String earlier = TemplateStore.earlierStores(options.storeDir()).message(options.storeDir());
        List<TemplateComparator> comparators = new ArrayList<>();
        Enrolment.Digests digests = new Enrolment.Digests();
        List<EvaluationResult.Configuration> results = new ArrayList<>();
        try {
            // Every configuration's matcher before any enrolment: a bad one fails in a second, not after hours.
            List<PairScoring> scorings = new ArrayList<>();
            for (ConfigurationSpec spec : specs) {
                scorings.add(scoringFor(spec, comparators));
            }
            for (int i = 0; i < specs.size(); i++) {
                results.add(runOne(pairs, split, images, accuracyPairs, specs.get(i), scorings.get(i), stores, digests));
            }
        } finally {
            closeAll(stores.values(), comparators);
        }
        EvaluationResult.Protocol protocol = new EvaluationResult.Protocol(pairs.name(), pairs.images().size(),
                split.genuineLeft.length, split.impostorLeft.length, pairs.genuineSubjectCount(), seed, pairs.folds(),
                accuracyPairs == null ? null : accuracyPairs.name());
        return new EvaluationResult("sameface evaluate", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                protocol, options.targetFmrs(), options.minFalseMatches(), results, new LinkedHashMap<>(), earlier.isEmpty() ? List.of() : List.of(earlier));
    }

    /**
     * How a configuration's pairs are scored: with its configured matcher. Cosine, the built-in matcher, is the dot
     * product of unit vectors and keeps the fast kernel; any other matcher plugin scores through the Matcher SPI, so
     * the figures are those of the matcher production will use.
     */
    private PairScoring scoringFor(ConfigurationSpec spec, List<TemplateComparator> comparators) {
        PipelineConfig config = PipelineExtractorFactory.config(spec);
        if (COSINE.equals(config.matcher().plugin())) {
            return scorer;
        }
        TemplateComparator comparator = Pipelines.matcherOnly(config);
        comparators.add(comparator);
        return new MatcherScoring(comparator.matcherName(), comparator.matcher());
    }

    private EvaluationResult.Configuration runOne(PairSet pairs, Split split, Images images, PairSet accuracyPairs,
                                                  ConfigurationSpec spec, PairScoring scorer,
                                                  Map<String, TemplateStore> stores, Enrolment.Digests digests) {
        String fingerprint;
        String identity;
        String description;
        Enrolment.Result enrolled;
        try (TemplateExtractor extractor = factory.open(spec)) {
            fingerprint = extractor.fingerprint();
            identity = extractor.identity();
            description = extractor.describe();
            TemplateStore store = stores.get(identity);
            if (store == null) {
                store = TemplateStore.open(options.storeDir(), identity);
                stores.put(identity, store);
            }
            enrolled = Enrolment.enrol(images.all, extractor, () -> factory.open(spec), options.threads(), store,
                    digests, progress, spec.label());
        }
        TemplateMatrix m = enrolled.matrix();
        long comparisons = (long) split.genuineLeft.length + split.impostorLeft.length;
        float[] genuine;
        float[] impostor;
        scorer.warmUp(m);
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        try (Progress.Bar bar = progress.start("scoring " + spec.label(), comparisons)) {
            genuine = scorer.score(m, split.genuineLeft, split.genuineRight, bar);
            impostor = scorer.score(m, split.impostorLeft, split.impostorRight, bar);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
        ScoreSet scores = new ScoreSet(genuine, split.genuineSubject, impostor);
        List<OperatingPoint> points = new ArrayList<>();
        for (double target : options.targetFmrs()) {
            points.add(scores.operatingPoint(target, options.seed(), options.minFalseMatches()));
        }
        FoldAccuracy folds = null;
        if (accuracyPairs != null && accuracyPairs.hasFolds()) {
            float[] all = scorer.score(m, images.accuracyLeft, images.accuracyRight, Progress.silent().start("", 0));
            folds = FoldAccuracy.compute(all, accuracyPairs.genuine(), accuracyPairs.fold(), accuracyPairs.folds());
        } else if (pairs.hasFolds()) {
            float[] all = new float[pairs.size()];
            for (int i = 0; i < split.genuineIndex.length; i++) {
                all[split.genuineIndex[i]] = genuine[i];
            }
            for (int i = 0; i < split.impostorIndex.length; i++) {
                all[split.impostorIndex[i]] = impostor[i];
            }
            folds = FoldAccuracy.compute(all, pairs.genuine(), pairs.fold(), pairs.folds());
        }
        return new EvaluationResult.Configuration(spec.label(),
                spec.configFile() == null ? "(built-in defaults)" : spec.configFile().toString(), spec.overrides(),
                fingerprint, identity, description, enrolled.stats(), genuine.length, impostor.length, scorer.name(), m.dimension(),
                seconds, seconds > 0 ? comparisons / seconds : 0, cpuSeconds, cpuSeconds > 0 ? comparisons / cpuSeconds : 0,
                points, folds,
                scores.det(options.detPoints()), scores.histogram(options.histogramBins()));
    }

    private static void closeAll(Iterable<TemplateStore> stores, List<TemplateComparator> comparators) {
        List<AutoCloseable> all = new ArrayList<>();
        stores.forEach(all::add);
        all.addAll(comparators);
        RuntimeException first = null;
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                RuntimeException r = e instanceof RuntimeException re ? re
                        : new FaceException(ErrorCode.INTERNAL_ERROR, "cannot close " + c + ": " + e.getMessage(), e);
                if (first == null) {
                    first = r;
                } else {
                    first.addSuppressed(r);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The main protocol's images, then those only the accuracy pairs use; the accuracy pairs re-indexed into it. */
    private record Images(List<Path> all, int[] accuracyLeft, int[] accuracyRight) {
        static Images of(PairSet pairs, PairSet accuracy) {
            if (accuracy == null) {
                return new Images(pairs.images(), null, null);
            }
            List<Path> all = new ArrayList<>(pairs.images());
            Map<Path, Integer> index = new HashMap<>();
            for (int i = 0; i < all.size(); i++) {
                index.put(all.get(i), i);
            }
            int[] map = new int[accuracy.images().size()];
            for (int i = 0; i < map.length; i++) {
                Path p = accuracy.images().get(i);
                Integer at = index.get(p);
                if (at == null) {
                    at = all.size();
                    all.add(p);
                    index.put(p, at);
                }
                map[i] = at;
            }
            int[] l = new int[accuracy.size()];
            int[] r = new int[accuracy.size()];
            for (int i = 0; i < l.length; i++) {
                l[i] = map[accuracy.left()[i]];
                r[i] = map[accuracy.right()[i]];
            }
            return new Images(List.copyOf(all), l, r);
        }
    }

    /** The pairs split by class, with each genuine pair's subject as a small integer. */
    private record Split(int[] genuineLeft, int[] genuineRight, int[] genuineSubject, int[] genuineIndex,
                         int[] impostorLeft, int[] impostorRight, int[] impostorIndex) {
        static Split of(PairSet p) {
            IntList gl = new IntList();
            IntList gr = new IntList();
            IntList gs = new IntList();
            IntList gi = new IntList();
            IntList il = new IntList();
            IntList ir = new IntList();
            IntList ii = new IntList();
            Map<String, Integer> subjectIds = new HashMap<>();
            for (int i = 0; i < p.size(); i++) {
                if (p.genuine()[i]) {
                    gl.add(p.left()[i]);
                    gr.add(p.right()[i]);
                    gi.add(i);
                    if (p.hasSubjects()) {
                        gs.add(subjectIds.computeIfAbsent(p.subjects().get(p.left()[i]), k -> subjectIds.size()));
                    }
                } else {
                    il.add(p.left()[i]);
                    ir.add(p.right()[i]);
                    ii.add(i);
                }
            }
            return new Split(gl.toArray(), gr.toArray(), p.hasSubjects() ? gs.toArray() : null, gi.toArray(),
                    il.toArray(), ir.toArray(), ii.toArray());
        }
    }
}
