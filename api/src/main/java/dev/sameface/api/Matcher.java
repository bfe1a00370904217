package dev.sameface.api;

/** Scores two embeddings; higher means more alike. Pure computation; safe to share. */
public interface Matcher {
    double similarity(Embedding a, Embedding b);
}
