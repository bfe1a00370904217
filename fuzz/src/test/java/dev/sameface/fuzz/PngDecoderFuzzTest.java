package dev.sameface.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;
import dev.sameface.pipeline.image.ImageDecoder;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/** Fuzzes PNG (ImageIO): decoded within the limits or refused with a typed error. */
// Slow: a JVM of its own with Jazzer's agent, seeds from LFW, then fuzzing (30-110 s on 2 busy cores); CI runs it.
@Tag("slow")
class PngDecoderFuzzTest {
    static Stream<Arguments> seeds() {
        return Seeds.encoded("png");
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "3s")
    void decodesOrRefuses(byte[] bytes) {
        ImageDecoderChecks.decodesOrRefuses(ImageDecoder.DEFAULT, bytes);
    }
}
