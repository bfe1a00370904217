package dev.sameface.api.engine.testing;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.Denormals;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.FloatingPointMode;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.api.engine.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The floating-point rule every engine follows (docs/floating-point.md), as a suite an engine's test module extends:
 * the caller thread's mode is the same after creating the engine, loading, running and closing, whatever the engine's
 * {@code denormals} setting and whatever mode the caller was in; Java arithmetic on that thread stays IEEE; the
 * description states the setting; a wrong value is a CONFIG_ERROR. {@link DenormalOutputSuite} adds the outputs.
 */
public abstract class EngineFloatingPointSuite {
    // Read through a volatile field so that the division happens at run time, on this thread.
    private static volatile float minNormal = Float.MIN_NORMAL;

    /** Creates the engine under test; fails the test with the remedy when it is unavailable. */
    protected abstract InferenceEngine create(EngineOptions options);

    /** A model the engine loads, placed in or found from {@code dir}. */
    protected abstract ModelSource model(Path dir) throws IOException;

    /** An input for {@link #model}. */
    protected abstract Map<String, Tensor> input();

    public static EngineOptions options(Denormals denormals) {
        return EngineOptions.singleThreaded().withProperties(Map.of(Denormals.PROPERTY, denormals.value()));
    }

    @BeforeAll
    static void modeIsControllableHere() {
        assertThat(FloatingPointMode.controllable()).as(FloatingPointMode.support()).isTrue();
    }

    static Stream<Arguments> engineAndCallerSettings() {
        return Stream.of(Denormals.values()).flatMap(engine -> Stream.of(Denormals.values()).map(caller -> Arguments.of(engine, caller)));
    }

    @ParameterizedTest(name = "engine denormals={0}, caller thread {1}")
    @MethodSource("engineAndCallerSettings")
    void callerModeIsTheSameAfterCreateLoadRunAndClose(Denormals engineSetting, Denormals callerSetting, @TempDir Path dir) throws IOException {
        ModelSource source = model(dir);
        try (var caller = FloatingPointMode.enter(callerSetting)) {
            FloatingPointMode before = FloatingPointMode.current();
            assertThat(before.flushToZero() && before.denormalsAreZero()).as("caller mode " + before).isEqualTo(callerSetting == Denormals.FLUSH);
            try (InferenceEngine engine = create(options(engineSetting))) {
                assertThat(FloatingPointMode.current()).as("after creating the engine").isEqualTo(before);
                try (CompiledModel model = engine.load(source)) {
                    assertThat(FloatingPointMode.current()).as("after load").isEqualTo(before);
                    model.run(input());
                    assertThat(FloatingPointMode.current()).as("after the first run").isEqualTo(before);
                    model.run(input());
                    assertThat(FloatingPointMode.current()).as("after the second run").isEqualTo(before);
                }
                assertThat(FloatingPointMode.current()).as("after closing the model").isEqualTo(before);
            }
            assertThat(FloatingPointMode.current()).as("after closing the engine").isEqualTo(before);
        }
    }

    @Test
    void javaArithmeticOnTheCallerThreadStaysIeeeAfterTheEngineRan(@TempDir Path dir) throws IOException {
        assertThat(minNormal / 2).as("Float.MIN_NORMAL / 2 before any engine ran").isNotZero();
        try (InferenceEngine engine = create(EngineOptions.singleThreaded());
             CompiledModel model = engine.load(model(dir))) {
            model.run(input());
        }
        float half = minNormal / 2;
        assertThat(half).as("Float.MIN_NORMAL / 2 after an engine with denormals=flush ran").isNotZero();
        assertThat(half * 2).isEqualTo(Float.MIN_NORMAL);
    }

    @ParameterizedTest
    @EnumSource(Denormals.class)
    void descriptionStatesTheSetting(Denormals setting) {
        try (InferenceEngine engine = create(options(setting))) {
            assertThat(engine.description()).contains(setting.description());
        }
    }

    @Test
    void flushIsTheDefault() {
        try (InferenceEngine engine = create(EngineOptions.singleThreaded())) {
            assertThat(engine.description()).contains(Denormals.FLUSH.description());
        }
    }

    @Test
    void anyOtherValueIsAConfigErrorNamingKeyValueAndChoices() {
        EngineOptions wrong = EngineOptions.singleThreaded().withProperties(Map.of(Denormals.PROPERTY, "daz"));
        assertThatThrownBy(() -> create(wrong).close())
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR))
                .hasMessageContainingAll("denormals", "'daz'", "flush", "keep");
    }
}
