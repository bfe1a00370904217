package dev.sameface.stages;

import dev.sameface.api.Embedding;
import dev.sameface.api.Matcher;

/** Cosine similarity of unit embeddings, in [-1, 1]. */
public final class CosineMatcher implements Matcher {
    @Override
    public double similarity(Embedding a, Embedding b) {
        return Math.max(-1, Math.min(1, a.dot(b)));
    }
}
