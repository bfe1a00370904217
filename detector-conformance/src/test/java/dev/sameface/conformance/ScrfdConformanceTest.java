package dev.sameface.conformance;

import java.util.Map;

/** The built-in {@code scrfd} detector through the conformance suite, on every engine on the class path. */
class ScrfdConformanceTest extends DetectorConformanceSuite {
    ScrfdConformanceTest() {
        super("scrfd");
    }

    /** The test set-up (scripts/test) prepares TorchScript copies of the default chain and YuNet only. */
    @Override
    protected Map<String, String> enginesThatCannotLoad() {
        return Map.of("djl-pytorch", "no TorchScript export of its models");
    }
}
