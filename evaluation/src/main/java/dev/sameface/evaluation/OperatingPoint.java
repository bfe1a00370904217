package dev.sameface.evaluation;

/**
 * FNMR at the threshold that holds FMR at or below a target. When the impostor set is too small to measure the
 * target (fewer than minFalseMatches / target comparisons, i.e. fewer than minFalseMatches false matches expected at
 * the target) only the status and the counts are set: no number is invented.
 *
 * @param targetFmr               the FMR asked for
 * @param status                  {@link #OK}, {@link #NOT_ENOUGH_IMPOSTORS} or {@link #NO_GENUINE}
 * @param minFalseMatches         the reporting rule: false matches a target must expect (100 by default, 30 at least)
 * @param impostorsNeeded         minFalseMatches / target
 * @param expectedFalseMatches    impostors &times; target: how many false matches the threshold rests on
 * @param impostors               impostor comparisons available (failed ones included: they never match)
 * @param genuine                 genuine comparisons (failed ones included: they never match)
 * @param threshold               the lowest threshold with FMR(T) &le; target; a score &ge; T is a match
 * @param falseMatches            impostor scores &ge; T
 * @param fmr                     falseMatches / impostors, the FMR actually achieved (below target when scores tie)
 * @param falseNonMatches         genuine scores &lt; T, failed templates included
 * @param fnmr                    falseNonMatches / genuine, over all genuine pairs
 * @param fnmrInterval            95% Clopper-Pearson interval of fnmr (treats pairs as independent)
 * @param fnmrSubjectBootstrap    95% percentile interval of fnmr from resampling subjects (null without subjects)
 * @param fnmrPerIdentity         mean over people of each person's FNMR: each person counts once (null without subjects)
 * @param fnmrPerIdentityInterval 95% percentile interval of fnmrPerIdentity from resampling subjects
 * @param identities              people with at least one genuine pair
 */
public record OperatingPoint(double targetFmr, String status, int minFalseMatches, long impostorsNeeded,
                             double expectedFalseMatches, long impostors, long genuine,
                             Float threshold, Long falseMatches, Double fmr, Long falseNonMatches, Double fnmr,
                             Interval fnmrInterval, Interval fnmrSubjectBootstrap,
                             Double fnmrPerIdentity, Interval fnmrPerIdentityInterval, Integer identities) {
    public static final String OK = "ok";
    public static final String NOT_ENOUGH_IMPOSTORS = "not enough impostors";
    public static final String NO_GENUINE = "no genuine comparisons";

    /** The stand-in for a target that is not measured: too few impostors under the rule, or no genuine pairs. */
    public static OperatingPoint notMeasured(double targetFmr, int minFalseMatches, long impostors, long genuine) {
        long needed = ScoreSet.impostorsNeeded(targetFmr, minFalseMatches);
        return new OperatingPoint(targetFmr, impostors < needed ? NOT_ENOUGH_IMPOSTORS : NO_GENUINE, minFalseMatches,
                needed, impostors * targetFmr, impostors, genuine, null, null, null, null, null, null, null, null, null, null);
    }

    public boolean measured() {
        return OK.equals(status);
    }

    /** Measured only because the rule was relaxed: the default rule (100 expected false matches) would refuse it. */
    public boolean measuredUnderRelaxedRule() {
        return measured() && impostors < ScoreSet.impostorsNeeded(targetFmr, ScoreSet.DEFAULT_MIN_FALSE_MATCHES);
    }
}
