package dev.sameface.pipeline;

import dev.sameface.pipeline.testing.EngineParitySuite;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;

/** The reference engine, like every other, adds at most one thread with the default configuration. */
class OnnxRuntimeSingleThreadTest {
    @Test
    void defaultPipelineRunsOnOneThread() {
        EngineParitySuite.assertSingleThreaded(TestData.defaultConfig());
    }

    @Test
    void yunetPipelineRunsOnOneThread() {
        EngineParitySuite.assertSingleThreaded(TestData.yunetConfig());
    }
}
