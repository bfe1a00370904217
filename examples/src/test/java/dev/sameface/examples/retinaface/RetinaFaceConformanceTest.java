package dev.sameface.examples.retinaface;

import dev.sameface.conformance.DetectorConformanceSuite;

import java.util.Map;

/**
 * The example plugin through the detector conformance suite: what a third-party detector's author writes, one class
 * (docs/detectors.md). The suite finds the plugin through ServiceLoader, as a user's pipeline does.
 */
class RetinaFaceConformanceTest extends DetectorConformanceSuite {
    RetinaFaceConformanceTest() {
        super("retinaface", "retinaface-mnet025");
    }

    /** No TorchScript export of retinaface-mnet025 is prepared, so djl-pytorch cannot load it. */
    @Override
    protected Map<String, String> enginesThatCannotLoad() {
        return Map.of("djl-pytorch", "no TorchScript export of retinaface-mnet025");
    }
}
