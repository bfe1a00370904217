package dev.sameface.evaluation;

import java.util.List;
import java.util.Map;

/**
 * Everything one {@code evaluate} run measured: written as {@code result.json}, and what the Markdown report and
 * the charts are drawn from.
 */
public record EvaluationResult(String tool, String createdAt, Protocol protocol, List<Double> targetFmrs,
                               int minFalseMatches, List<Configuration> configurations, Map<String, String> files, List<String> notes) {
    /**
     * @param minFalseMatches the reporting rule: a target FMR is reported when impostors &times; target reaches it
     * @param notes           what a reader must know about the run, e.g. template stores of an earlier sameface not reused
     */
    public EvaluationResult {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /**
     * @param genuineSubjects people who own at least one genuine pair (0 when the protocol names nobody)
     * @param seed            the impostor sampling seed (null when the protocol does not sample)
     * @param accuracyPairs   the folded pairs protocol LFW accuracy comes from, when not the main protocol
     */
    public record Protocol(String name, int images, int genuine, long impostors, int genuineSubjects, Long seed,
                           int folds, String accuracyPairs) {
    }

    /**
     * @param fingerprint            short name of the pipeline identity (embedding space / identity hash prefix)
     * @param identity               the pipeline identity's canonical text: every fact that decides a template
     * @param scoringKernel          what scored: the dot-product kernel (cosine) or the configured matcher plugin
     * @param dimension              template vector length
     * @param comparisonsPerSecond   genuine + impostor comparisons per second of wall time, one thread
     * @param comparisonsPerCpuSecond the same per second of this thread's CPU time (steadier on a shared machine)
     * @param lfwAccuracy            10-fold accuracy when the protocol has folds, else null
     */
    public record Configuration(String label, String configFile, Map<String, String> overrides, String fingerprint,
                                String identity, String description, Enrolment.Stats templates, int genuine, long impostors,
                                String scoringKernel, int dimension, double scoringSeconds, double comparisonsPerSecond,
                                double scoringCpuSeconds, double comparisonsPerCpuSecond,
                                List<OperatingPoint> operatingPoints, FoldAccuracy lfwAccuracy,
                                List<ScoreSet.DetPoint> det, ScoreSet.Histogram histogram) {
    }
}
