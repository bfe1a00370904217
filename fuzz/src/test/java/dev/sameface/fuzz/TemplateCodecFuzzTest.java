package dev.sameface.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;
import dev.sameface.api.FaceException;
import dev.sameface.api.Template;
import dev.sameface.api.TemplateCodec;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the template codec from real templates: bytes either decode to a template that encodes back to the same
 * bytes (the format has one spelling) and whose vector is a finite unit vector, or are refused as TEMPLATE_FORMAT_ERROR.
 */
// Slow: a JVM of its own with Jazzer's agent, seeds from LFW, then fuzzing (30-110 s on 2 busy cores); CI runs it.
@Tag("slow")
class TemplateCodecFuzzTest {
    static Stream<Arguments> seeds() {
        return Seeds.templates().stream().map(t -> Arguments.of((Object) TemplateCodec.encode(t)));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "3s")
    void decodesExactlyOrRefuses(byte[] bytes) {
        Template t;
        try {
            t = TemplateCodec.decode(bytes);
        } catch (FaceException e) {
            assertThat(e.code()).isIn(dev.sameface.api.ErrorCode.TEMPLATE_FORMAT_ERROR);
            return;
        }
        assertThat(TemplateCodec.encode(t)).isEqualTo(bytes);
        if (!t.isFailed()) {
            double norm = Math.sqrt(t.embedding().dot(t.embedding()));
            assertThat(Math.abs(norm - 1)).isLessThanOrEqualTo(TemplateCodec.NORM_TOLERANCE);
            assertThat(Arrays.stream(toDoubles(t.embedding().vector())).allMatch(Double::isFinite)).isTrue();
        }
    }

    private static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
