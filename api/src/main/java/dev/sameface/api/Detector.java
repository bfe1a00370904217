package dev.sameface.api;

import java.util.List;

/**
 * Finds faces. Implementations own their model's pre- and post-processing (resizing, anchor decoding, NMS) and
 * run the network on whichever {@link dev.sameface.api.engine.InferenceEngine} they were given. An instance is
 * used by one thread at a time.
 */
public interface Detector extends AutoCloseable {
    /** All faces above the configured score threshold, best first; empty when there is none. */
    List<DetectedFace> detect(Image image);

    @Override
    void close();
}
