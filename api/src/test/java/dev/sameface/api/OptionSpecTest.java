package dev.sameface.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Option values are checked against their declared type and range; degenerate embeddings are errors. */
class OptionSpecTest {
    private static final List<OptionSpec> SPECS = List.of(
            OptionSpec.number("threshold", "0.5", 0, 1, ""),
            OptionSpec.integer("count", "5", 1, 10, ""),
            OptionSpec.number("scale", "manifest", -10, 10, "").except(0).orKeywords("manifest"),
            OptionSpec.flag("mirror", "false", ""),
            OptionSpec.choice("order", "RGB", List.of("RGB", "BGR"), ""));

    private static void refused(String key, String value, String allowed) {
        assertThatThrownBy(() -> StageOptions.of("detector 'x'", SPECS, Map.of(key, value)))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR))
                .hasMessageContainingAll("detector 'x'", "'" + key + "'", "'" + value + "'", allowed);
    }

    @Test
    void valuesInsideTheRangeAndItsEdgesAreAccepted() {
        StageOptions o = StageOptions.of("x", SPECS, Map.of("threshold", "1", "count", "10", "scale", "-10", "mirror", "on", "order", "bgr"));
        assertThat(o.number("threshold")).isEqualTo(1.0);
        assertThat(o.integer("count")).isEqualTo(10);
        assertThat(StageOptions.of("x", SPECS, Map.of()).string("scale")).isEqualTo("manifest");
    }

    @Test
    void valuesOutsideTypeOrRangeAreRefused() {
        refused("threshold", "1.5", "in [0, 1]");
        refused("threshold", "-1", "in [0, 1]");
        refused("threshold", "NaN", "finite");
        refused("threshold", "Infinity", "finite");
        refused("threshold", "abc", "in [0, 1]");
        refused("count", "0", "whole number in [1, 10]");
        refused("count", "1.5", "whole number");
        refused("scale", "0", "not 0");
        refused("scale", "1e309", "finite");
        refused("mirror", "maybe", "true or false");
        refused("order", "XYZ", "one of BGR, RGB");
        assertThatThrownBy(() -> StageOptions.of("x", SPECS, Map.of("treshold", "0.5"))).hasMessageContaining("unknown option 'treshold'");
    }

    @Test
    void aZeroOrNonFiniteEmbeddingIsAnInferenceErrorNotAVector() {
        for (float[] v : new float[][]{new float[512], {1, Float.NaN, 0}, {Float.POSITIVE_INFINITY, 1}}) {
            assertThatThrownBy(() -> Embedding.normalised(v))
                    .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INFERENCE_ERROR));
        }
    }
}
