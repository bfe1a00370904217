package dev.sameface.djl;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** In its own JVM (surefire reuseForks=false): libtorch must not have been loaded before the baseline count. */
@Tag("slow") // needs the TorchScript export
class DjlPyTorchThreadTest {
    @Test
    void libtorchRunsOnTheCallingThreadOnly() {
        ThreadCount.assertSingleThreaded(DjlPyTorchEngineProvider.NAME);
    }
}
