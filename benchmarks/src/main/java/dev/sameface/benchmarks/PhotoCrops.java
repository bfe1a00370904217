package dev.sameface.benchmarks;

import dev.sameface.api.AlignedFace;
import dev.sameface.api.Box;
import dev.sameface.api.DetectedFace;
import dev.sameface.api.Image;
import dev.sameface.api.Landmarks5;
import dev.sameface.stages.SimilarityAligner;

/** Where an LFW deep-funnelled face sits (the photos are centred on it), for benchmarks that need one without a detector. */
final class PhotoCrops {
    private PhotoCrops() {
    }

    static final DetectedFace LFW_FACE = new DetectedFace(new Box(80, 80, 90, 110), 0.99,
            Landmarks5.of(105, 115, 145, 112, 126, 138, 110, 160, 142, 158));

    static Image centre112(Image photo) {
        AlignedFace a = new SimilarityAligner(112).align(photo, LFW_FACE);
        return a.crop();
    }
}
