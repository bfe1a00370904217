package dev.sameface.api;

/** Turns an aligned face into a unit embedding. An instance is used by one thread at a time. */
public interface Embedder extends AutoCloseable {
    Embedding embed(AlignedFace face);

    /** Names the embedding space: templates made with different fingerprints are not comparable. */
    String fingerprint();

    /** The crop size this embedder wants, e.g. 112 for ArcFace-style models. */
    int cropSize();

    /**
     * Whether {@link #embed} also embeds the mirrored crop and combines the two (flip test-time augmentation, about
     * twice the time), so listings and benchmarks can say so without knowing the plugin's options. Default false.
     */
    default boolean mirrors() {
        return false;
    }

    @Override
    void close();
}
