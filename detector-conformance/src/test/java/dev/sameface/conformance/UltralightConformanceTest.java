package dev.sameface.conformance;

/**
 * The built-in {@code ultralight} detector, with its default options, through the conformance suite on every engine
 * on the class path. The mirror check failed here while the chain's five points came from the 68-point model (on
 * mirrored {@code Micky_Ward_0001} it put the eyes half an inter-ocular distance off); with MTCNN's O-Net for the
 * points, the default since docs/detectors-measured.md's pose measurements, the chain passes every check.
 */
class UltralightConformanceTest extends DetectorConformanceSuite {
    UltralightConformanceTest() {
        super("ultralight");
    }
}
