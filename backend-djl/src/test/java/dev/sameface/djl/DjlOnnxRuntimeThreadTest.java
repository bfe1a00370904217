package dev.sameface.djl;

import org.junit.jupiter.api.Test;

/** In its own JVM (surefire reuseForks=false): ONNX Runtime must not have been loaded before the baseline count. */
class DjlOnnxRuntimeThreadTest {
    @Test
    void djlOnnxRuntimeRunsOnTheCallingThreadOnly() {
        ThreadCount.assertSingleThreaded(DjlOnnxRuntimeEngineProvider.NAME);
    }
}
