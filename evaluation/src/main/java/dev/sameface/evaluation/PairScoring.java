package dev.sameface.evaluation;

/**
 * Scores pairs of rows of a {@link TemplateMatrix}. A comparison with a failed template scores
 * {@link Float#NEGATIVE_INFINITY}: below every threshold, i.e. a non-match, NIST's convention.
 */
public interface PairScoring {
    /** What scored, for reports: a dot-product kernel's name or the matcher plugin's. */
    String name();

    /** Lets the JIT compile the hot path before a measured run; a no-op is allowed. */
    void warmUp(TemplateMatrix m);

    /** Scores of pairs {@code (left[i], right[i])}, in the order given. */
    float[] score(TemplateMatrix m, int[] left, int[] right, Progress.Bar bar);
}
