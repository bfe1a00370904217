package dev.sameface.conformance;

/** The built-in {@code yunet} detector through the conformance suite, on every engine on the class path. */
class YunetConformanceTest extends DetectorConformanceSuite {
    YunetConformanceTest() {
        super("yunet");
    }
}
