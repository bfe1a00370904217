package dev.sameface.api;

/** Warps a detected face onto the canonical crop an embedder expects. Pure computation; safe to share. */
public interface Aligner {
    AlignedFace align(Image image, DetectedFace face);

    /**
     * The side of the square crop this aligner makes, so a pipeline can refuse at start-up an aligner whose crop
     * does not fit its embedder ({@link Embedder#cropSize()}) instead of failing on the first image. Default 0: the
     * aligner does not say, and the mismatch, if any, shows on the first image.
     */
    default int cropSize() {
        return 0;
    }
}
