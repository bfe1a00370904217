package dev.sameface.api.engine;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FloatingPointModeTest {
    // Operands read at run time so that the products are computed on this thread under its current mode.
    private static volatile float tiny = 1e-20f;
    private static volatile float subnormal = Float.MIN_NORMAL / 4;
    private static volatile float huge = 1e20f;

    @BeforeAll
    static void controllableOnThisMachine() {
        // This machine is Linux x86_64 with glibc; an unsupported platform must say so rather than pass silently.
        assertThat(FloatingPointMode.controllable()).as(FloatingPointMode.support()).isTrue();
        assertThat(FloatingPointMode.support()).contains("fegetmode");
    }

    @Test
    void flushScopeMakesJavaArithmeticFlushAndRestoresIeeeOnClose() {
        FloatingPointMode before = FloatingPointMode.current();
        assertThat(tiny * tiny).as("IEEE before").isNotZero();
        try (var scope = FloatingPointMode.enter(Denormals.FLUSH)) {
            FloatingPointMode inside = FloatingPointMode.current();
            assertThat(inside.flushToZero()).isTrue();
            assertThat(inside.denormalsAreZero()).isTrue();
            assertThat(tiny * tiny).as("FTZ: a denormal result").isZero();
            assertThat(subnormal * huge).as("DAZ: a denormal input").isZero();
        }
        assertThat(FloatingPointMode.current()).isEqualTo(before);
        assertThat(tiny * tiny).as("IEEE after").isNotZero().isLessThan(Float.MIN_NORMAL);
        assertThat(subnormal * huge).isGreaterThanOrEqualTo(Float.MIN_NORMAL);
    }

    @Test
    void scopesNestAndEachRestoresWhatItFound() {
        FloatingPointMode outside = FloatingPointMode.current();
        try (var flush = FloatingPointMode.enter(Denormals.FLUSH)) {
            FloatingPointMode flushed = FloatingPointMode.current();
            try (var keep = FloatingPointMode.enter(Denormals.KEEP)) {
                assertThat(FloatingPointMode.current().flushToZero()).isFalse();
                assertThat(FloatingPointMode.current().denormalsAreZero()).isFalse();
                assertThat(tiny * tiny).isNotZero();
            }
            assertThat(FloatingPointMode.current()).isEqualTo(flushed);
            assertThat(tiny * tiny).isZero();
        }
        assertThat(FloatingPointMode.current()).isEqualTo(outside);
    }

    @Test
    void onlyFtzAndDazChangeOtherControlBitsStay() {
        FloatingPointMode before = FloatingPointMode.current();
        try (var scope = FloatingPointMode.enter(Denormals.FLUSH)) {
            int changed = FloatingPointMode.current().controlRegister() ^ before.controlRegister();
            // x86 MXCSR: FTZ bit 15 and DAZ bit 6; aarch64 FPCR: FZ bit 24.
            int flushBits = System.getProperty("os.arch").equals("aarch64") ? 1 << 24 : (1 << 15) | (1 << 6);
            assertThat(changed).isEqualTo(flushBits);
        }
    }

    @Test
    void closingOnAnotherThreadIsRefusedAndChangesNothing() throws InterruptedException, ExecutionException {
        FloatingPointMode before = FloatingPointMode.current();
        var scope = FloatingPointMode.enter(Denormals.FLUSH);
        try {
            Throwable refused = CompletableFuture.supplyAsync(() -> {
                try {
                    scope.close();
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            }).get();
            assertThat(refused).isInstanceOf(IllegalStateException.class).hasMessageContaining("entered it");
            assertThat(FloatingPointMode.current().flushToZero()).isTrue();
        } finally {
            scope.close();
        }
        assertThat(FloatingPointMode.current()).isEqualTo(before);
        scope.close();
        assertThat(FloatingPointMode.current()).as("a second close changes nothing").isEqualTo(before);
    }

    @Test
    void optionDefaultsToFlushAndReadsKeep() {
        assertThat(Denormals.of(EngineOptions.singleThreaded())).isEqualTo(Denormals.FLUSH);
        assertThat(Denormals.of(EngineOptions.singleThreaded().withProperties(Map.of("denormals", "keep")))).isEqualTo(Denormals.KEEP);
        assertThat(Denormals.of(EngineOptions.singleThreaded().withProperties(Map.of("denormals", "flush")))).isEqualTo(Denormals.FLUSH);
    }

    @Test
    void anyOtherOptionValueIsAConfigError() {
        EngineOptions wrong = EngineOptions.singleThreaded().withProperties(Map.of("denormals", "ftz"));
        assertThatThrownBy(() -> Denormals.of(wrong))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR))
                .hasMessageContainingAll("denormals", "'ftz'", "flush", "keep");
    }
}
