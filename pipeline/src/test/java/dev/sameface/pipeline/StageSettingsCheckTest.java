package dev.sameface.pipeline;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every stage setting has a type and a range, checked when the pipeline is built: each value the hostile run found
 * accepted silently is a CONFIG_ERROR naming the key, the value and what is allowed, for the full pipeline and for
 * the matcher-only comparator alike. Values at the edges of each range still build a working pipeline.
 */
class StageSettingsCheckTest {
    @TempDir
    Path dir;

    private static void refused(PipelineConfig config, String... mentions) {
        for (var build : java.util.List.<Runnable>of(() -> Pipelines.create(config, TestData.cache()).close(),
                () -> Pipelines.matcherOnly(config, TestData.cache()).close())) {
            assertThatThrownBy(build::run).isInstanceOfSatisfying(FaceException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR)).hasMessageContainingAll(mentions);
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "detector.options.score-threshold | 1.5   | in [0, 1]",
            "detector.options.score-threshold | -1    | in [0, 1]",
            "detector.options.nms-threshold   | NaN   | in [0, 1]",
            "detector.options.nms-threshold   | 2     | in [0, 1]",
            "detector.options.top-k           | 0     | [1, 1000]",
            "detector.options.top-k           | -5    | whole number",
            "detector.options.top-k           | 2.5   | whole number",
            "detector.options.top-k           | 1000000 | 1000",
            "embedder.options.mean            | 1e309 | finite",
            "embedder.options.scale           | 0     | not 0",
            "embedder.options.scale           | NaN   | finite",
            "embedder.options.flip-tta        | maybe | true or false",
            "embedder.options.color-order     | XYZ   | BGR",
            "aligner.options.size             | 0     | whole number",
    })
    void outOfRangeOptionsAreRefusedNamingKeyValueAndRange(String key, String value, String allowed) {
        String option = key.substring(key.lastIndexOf('.') + 1);
        refused(TestData.defaultConfig().withOverrides(Map.of(key, value)), "'" + option + "'", "'" + value + "'", allowed);
    }

    @Test
    void yunetMaxSideTooSmallToHoldAFaceIsRefused() {
        refused(TestData.yunetConfig().withOverrides(Map.of("detector.options.max-side", "1")), "'max-side'", "'1'", "[64, 4096]");
    }

    @Test
    void unknownKeysOfAStageAreRefused() {
        refused(TestData.defaultConfig().withOverrides(Map.of("detector.options.treshold", "0.5")), "unknown option 'treshold'");
        // Stages that run no network take no engine, model or precision: such a key would be silently ignored.
        refused(TestData.defaultConfig().withOverrides(Map.of("aligner.engine", "tensorrt")), "aligner 'similarity'", "engine: tensorrt");
        refused(TestData.defaultConfig().withOverrides(Map.of("matcher.model", "fr-feature-512")), "matcher 'cosine'", "model: fr-feature-512");
        refused(TestData.defaultConfig().withOverrides(Map.of("aligner.precision", "int8")), "aligner 'similarity'", "precision: int8");
    }

    @Test
    void threadsMustBeAWholeNumberUpToTheCoreCount() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        Path fractional = Files.writeString(dir.resolve("threads.yaml"), "threads: 1.5\n");
        assertThatThrownBy(() -> PipelineConfig.load(fractional)).isInstanceOfSatisfying(FaceException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR));
        assertThatThrownBy(() -> TestData.defaultConfig().withOverrides(Map.of("threads", String.valueOf(cores + 1))))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR))
                .hasMessage("override [threads]: threads = " + (cores + 1) + " is not allowed; it must be a whole number from 1 to "
                        + cores + " (the cores this machine has)");
        assertThatThrownBy(() -> TestData.defaultConfig().withOverrides(Map.of("threads", "0")))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR));
        assertThat(TestData.defaultConfig().withOverrides(Map.of("threads", String.valueOf(cores))).threads()).isEqualTo(cores);
    }

    @Test
    void valuesAtTheEdgesOfEveryRangeBuildAWorkingPipeline() {
        PipelineConfig edges = TestData.yunetConfig().withOverrides(Map.of(
                "detector.options.score-threshold", "0", "detector.options.nms-threshold", "1",
                "detector.options.top-k", "1", "detector.options.max-side", "64",
                "embedder.options.mean", "manifest", "embedder.options.scale", "manifest", "embedder.options.color-order", "rgb"));
        try (FacePipeline p = Pipelines.create(edges, TestData.cache())) {
            assertThat(p.config().detector().options()).containsEntry("max-side", "64");
        }
    }
}
