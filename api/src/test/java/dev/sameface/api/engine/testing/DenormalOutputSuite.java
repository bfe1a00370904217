package dev.sameface.api.engine.testing;

import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.Denormals;
import dev.sameface.api.engine.FloatingPointMode;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.api.engine.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EngineFloatingPointSuite} plus what an engine that loads ONNX computes: {@link DenormalModel} gives zeros
 * with {@code denormals=flush} and the exact IEEE denormal with {@code keep}, whatever the caller thread's mode and
 * whichever engine ran before on that thread.
 */
public abstract class DenormalOutputSuite extends EngineFloatingPointSuite {
    @Override
    protected ModelSource model(Path dir) throws IOException {
        return DenormalModel.write(dir);
    }

    @Override
    protected Map<String, Tensor> input() {
        return DenormalModel.input();
    }

    /** Loads {@link DenormalModel} on {@code engine} and runs it once. */
    public static float[] output(InferenceEngine engine, Path dir) throws IOException {
        try (CompiledModel model = engine.load(DenormalModel.write(dir))) {
            return model.run(DenormalModel.input()).get(DenormalModel.OUTPUT).toArray();
        }
    }

    /** The IEEE result, checked to be what the test means (a denormal, and a normal number from a denormal). */
    public static float[] ieeeOutput() {
        float[] ieee = DenormalModel.ieeeOutput();
        assertThat(ieee[0]).as("1e-20f * 1e-20f in Java on this thread").isNotZero().isLessThan(Float.MIN_NORMAL);
        assertThat(ieee[1]).as("(MIN_NORMAL/4) * 1e20f in Java on this thread").isGreaterThanOrEqualTo(Float.MIN_NORMAL);
        return ieee;
    }

    @Test
    void flushZeroesDenormalResultsAndDenormalInputs(@TempDir Path dir) throws IOException {
        try (InferenceEngine engine = create(options(Denormals.FLUSH))) {
            assertThat(output(engine, dir)).as("[FTZ: 1e-20*1e-20, DAZ: (MIN_NORMAL/4)*1e20]").containsExactly(0f, 0f);
        }
    }

    @Test
    void keepGivesTheExactIeeeResults(@TempDir Path dir) throws IOException {
        float[] ieee = ieeeOutput();
        try (InferenceEngine engine = create(options(Denormals.KEEP))) {
            assertThat(output(engine, dir)).containsExactly(ieee);
        }
    }

    @Test
    void keepHoldsWhenTheCallerThreadFlushes(@TempDir Path dir) throws IOException {
        float[] ieee = ieeeOutput();
        try (var caller = FloatingPointMode.enter(Denormals.FLUSH); InferenceEngine engine = create(options(Denormals.KEEP))) {
            assertThat(output(engine, dir)).containsExactly(ieee);
            assertThat(FloatingPointMode.current().flushToZero()).as("the caller's own mode after the run").isTrue();
        }
    }

    /**
     * Overridable only by an engine that cannot honour two settings at once and refuses the second with
     * CONFIG_ERROR (OpenVINO): it must then prove the refusal and that each setting holds on its own.
     */
    @Test
    protected void twoEnginesWithOppositeSettingsOnOneThreadKeepTheirOwn(@TempDir Path dir) throws IOException {
        float[] ieee = ieeeOutput();
        try (InferenceEngine flush = create(options(Denormals.FLUSH)); InferenceEngine keep = create(options(Denormals.KEEP))) {
            for (int round = 0; round < 2; round++) {
                assertThat(output(flush, dir)).as("flush, round " + round).containsExactly(0f, 0f);
                assertThat(output(keep, dir)).as("keep, round " + round).containsExactly(ieee);
            }
        }
    }
}
