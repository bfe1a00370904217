package dev.sameface.conformance;

/**
 * The built-in {@code mtcnn} detector through the conformance suite, on every engine on the class path (djl-pytorch
 * with the TorchScript copies of P-, R- and O-Net that scripts/test prepares).
 */
class MtcnnConformanceTest extends DetectorConformanceSuite {
    MtcnnConformanceTest() {
        super("mtcnn");
    }
}
