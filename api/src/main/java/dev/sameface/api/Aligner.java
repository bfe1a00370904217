package dev.sameface.api;

/** Warps a detected face onto the canonical crop an embedder expects. Pure computation; safe to share. */
public interface Aligner {
    AlignedFace align(Image image, DetectedFace face);
}
