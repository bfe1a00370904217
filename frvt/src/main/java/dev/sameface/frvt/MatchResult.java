package dev.sameface.frvt;

/**
 * What {@link Frvt11#matchTemplates} returns: a similarity in [0, 1] (higher is more alike) with
 * {@link ReturnCode#SUCCESS}, or -1 with the code that says why no comparison was possible.
 */
public record MatchResult(double similarity, ReturnCode code, String reason) {
    public MatchResult {
        if (code == ReturnCode.SUCCESS && !(similarity >= 0)) {
            throw new IllegalArgumentException("a successful comparison has a non-negative similarity, not " + similarity);
        }
    }
}
