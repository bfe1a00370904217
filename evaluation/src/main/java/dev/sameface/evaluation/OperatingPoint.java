package dev.sameface.evaluation;

/**
 * FNMR at the threshold that holds FMR at or below a target. When the impostor set is too small to measure the
 * target (fewer than 100 / target comparisons) only the status and the counts are set: no number is invented.
 *
 * @param targetFmr               the FMR asked for
 * @param status                  {@link #OK}, {@link #NOT_ENOUGH_IMPOSTORS} or {@link #NO_GENUINE}
 * @param impostorsNeeded         100 / target
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
public record OperatingPoint(double targetFmr, String status, long impostorsNeeded, long impostors, long genuine,
                             Float threshold, Long falseMatches, Double fmr, Long falseNonMatches, Double fnmr,
                             Interval fnmrInterval, Interval fnmrSubjectBootstrap,
                             Double fnmrPerIdentity, Interval fnmrPerIdentityInterval, Integer identities) {
    public static final String OK = "ok";
    public static final String NOT_ENOUGH_IMPOSTORS = "not enough impostors";
    public static final String NO_GENUINE = "no genuine comparisons";

    public boolean measured() {
        return OK.equals(status);
    }
}
