package dev.sameface.pipeline;

/** Wall-clock nanoseconds spent in each stage for one image. */
public record StageTimings(long decodeNanos, long detectNanos, long alignNanos, long embedNanos) {
    public long totalNanos() {
        return decodeNanos + detectNanos + alignNanos + embedNanos;
    }
}
