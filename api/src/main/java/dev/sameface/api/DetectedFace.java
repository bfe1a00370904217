package dev.sameface.api;

import java.util.Objects;

/** One face a {@link Detector} found: its box, its confidence in [0, 1] and its five landmarks. */
public record DetectedFace(Box box, double score, Landmarks5 landmarks) {
    public DetectedFace {
        Objects.requireNonNull(box);
        Objects.requireNonNull(landmarks);
    }
}
