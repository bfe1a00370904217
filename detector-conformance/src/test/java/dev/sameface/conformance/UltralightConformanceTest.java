package dev.sameface.conformance;

/** The built-in {@code ultralight} detector through the conformance suite, on every engine on the class path. */
class UltralightConformanceTest extends DetectorConformanceSuite {
    UltralightConformanceTest() {
        super("ultralight");
    }
}
