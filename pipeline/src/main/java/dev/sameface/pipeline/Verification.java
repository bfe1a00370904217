package dev.sameface.pipeline;

/**
 * The decision on two images. {@code score} is NaN when either image has no usable face; the decision is then
 * "different", NIST's convention, and {@code reason} says why.
 */
public record Verification(double score, double threshold, boolean same, String reason, Enrolment a, Enrolment b, long matchNanos) {
}
