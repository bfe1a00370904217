package dev.sameface.api;

import java.util.List;

/**
 * Finds faces. Implementations own their model's pre- and post-processing (resizing, anchor decoding, NMS) and
 * run the network on whichever {@link dev.sameface.api.engine.InferenceEngine} they were given. An instance is
 * used by one thread at a time.
 *
 * <p>A pipeline that needs one face calls {@link #detectBoxes} and then {@link #refine} on the face it chose, so a
 * detector whose landmarks cost a second model run per face (a box detector followed by a landmark regressor) runs
 * that model once per image instead of once per face. The defaults suit detectors that get landmarks for free.
 */
public interface Detector extends AutoCloseable {
    /** All faces above the configured score threshold, best first, with their landmarks; empty when there is none. */
    List<DetectedFace> detect(Image image);

    /**
     * The same faces as {@link #detect}, best first, with their boxes and scores; their landmarks may be placeholders
     * until {@link #refine} fills them in. A detector that overrides this must override {@code refine} too.
     * Default: {@link #detect}.
     */
    default List<DetectedFace> detectBoxes(Image image) {
        return detect(image);
    }

    /**
     * {@code face}, one of {@link #detectBoxes}'s results for {@code image}, with the landmarks {@link #detect}
     * would have given it. Default: the face as it is.
     */
    default DetectedFace refine(Image image, DetectedFace face) {
        return face;
    }

    @Override
    void close();
}
