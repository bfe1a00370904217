package dev.sameface.api;

/** Turns an aligned face into a unit embedding. An instance is used by one thread at a time. */
public interface Embedder extends AutoCloseable {
    Embedding embed(AlignedFace face);

    /** Names the embedding space: templates made with different fingerprints are not comparable. */
    String fingerprint();

    /** The crop size this embedder wants, e.g. 112 for ArcFace-style models. */
    int cropSize();

    @Override
    void close();
}
