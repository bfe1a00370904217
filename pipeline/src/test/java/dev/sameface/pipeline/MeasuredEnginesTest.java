package dev.sameface.pipeline;

import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.registry.EngineRegistry;
import dev.sameface.pipeline.registry.MeasuredEngines;
import dev.sameface.pipeline.registry.MeasuredEngines.Measurement;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The measured-fastest-engine file behind {@code engine: auto}: real files, the real registry, a real pipeline. */
class MeasuredEnginesTest {
    @TempDir
    Path dir;

    private static Measurement measured(String fastest, String... compared) {
        return new Measurement(fastest, "2026-11-28T09:00:00Z", List.of(compared), Map.of(compared[0], 14.0), Map.of(), "1x3x112x112");
    }

    @Test
    void writtenFileReadsBackAndANewRunReplacesOnlyTheModelsItMeasured() throws Exception {
        Path file = dir.resolve("bench/fastest-engines.yaml");
        MeasuredEngines first = MeasuredEngines.empty().with(Map.of(
                "fr-feature-512", new Measurement("openvino", "2026-11-28T09:00:00Z", List.of("onnxruntime", "openvino"),
                        Map.of("onnxruntime", 14.1, "openvino", 11.3), Map.of("precision", "bf16"), "1x3x112x112"),
                "ulfg-rfb-320", measured("onnxruntime", "onnxruntime", "openvino")));
        first.write(file);
        String text = Files.readString(file);
        assertThat(text).startsWith("# Written by `sameface bench-models`").contains("fr-feature-512:").contains("fastest: openvino")
                .contains("median-ms:").contains("engine-options:");
        assertThat(MeasuredEngines.read(file)).isEqualTo(first);

        MeasuredEngines.read(file).with(Map.of("fr-feature-512", measured("onnxruntime", "onnxruntime", "djl-pytorch"))).write(file);
        MeasuredEngines second = MeasuredEngines.read(file);
        assertThat(second.measurement("fr-feature-512").orElseThrow().fastest()).isEqualTo("onnxruntime");
        assertThat(second.measurement("fr-feature-512").orElseThrow().compared()).containsExactly("onnxruntime", "djl-pytorch");
        assertThat(second.measurement("ulfg-rfb-320")).isEqualTo(first.measurement("ulfg-rfb-320"));
        try (var files = Files.list(file.getParent())) {
            assertThat(files.toList()).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void measuredAvailableEngineIsChosen() {
        MeasuredEngines m = MeasuredEngines.empty().with(Map.of("fr-feature-512", measured("onnxruntime", "onnxruntime", "openvino")));
        MeasuredEngines.Choice c = m.choose(EngineRegistry.load(), "fr-feature-512");
        assertThat(c.provider().name()).isEqualTo("onnxruntime");
        assertThat(c.reason()).startsWith("fastest measured for fr-feature-512 on 2026-11-28T09:00:00Z among [onnxruntime, openvino]");
    }

    @Test
    void missingFileOrModelFallsBackToTheBestRankedEngine() {
        MeasuredEngines none = MeasuredEngines.read(dir.resolve("absent.yaml"));
        assertThat(none.models()).isEmpty();
        MeasuredEngines.Choice c = none.choose(EngineRegistry.load(), "fr-feature-512");
        assertThat(c.provider().name()).isEqualTo(EngineRegistry.load().get(EngineRegistry.AUTO).name());
        assertThat(c.reason()).isEqualTo("best-ranked available engine; no measurement for fr-feature-512");

        MeasuredEngines other = MeasuredEngines.empty().with(Map.of("ulfg-rfb-320", measured("onnxruntime", "onnxruntime")));
        assertThat(other.choose(EngineRegistry.load(), "fr-feature-512").reason()).contains("no measurement for fr-feature-512");
    }

    @Test
    void corruptFilesAreReadAsNoMeasurement() throws Exception {
        for (String junk : List.of("models: [unclosed", "just a sentence", "- a\n- list\n", "\u0000\u0001\u0002", "")) {
            Path f = dir.resolve("corrupt.yaml");
            Files.writeString(f, junk);
            MeasuredEngines m = MeasuredEngines.read(f);
            assertThat(m.models()).as("content %s", junk).isEmpty();
            assertThat(m.choose(EngineRegistry.load(), "fr-feature-512").provider().name()).isEqualTo("onnxruntime");
        }
    }

    @Test
    void unknownEngineFallsBackAndSaysWhy() {
        MeasuredEngines m = MeasuredEngines.empty().with(Map.of("fr-feature-512", measured("tensorrt", "onnxruntime", "tensorrt")));
        MeasuredEngines.Choice c = m.choose(EngineRegistry.load(), "fr-feature-512");
        assertThat(c.provider().name()).isEqualTo("onnxruntime");
        assertThat(c.reason()).contains("'tensorrt'").contains("not on the class path");
    }

    @Test
    void autoPipelineSaysPerStageWhichEngineItPickedAndWhy() {
        Path file = dir.resolve("fastest-engines.yaml");
        MeasuredEngines.empty().with(Map.of("fr-feature-512", measured("onnxruntime", "onnxruntime", "openvino"))).write(file);
        System.setProperty("sameface.fastest-engines", file.toString());
        try (FacePipeline p = TestData.pipeline(PipelineConfig.defaults().withEngine(EngineRegistry.AUTO))) {
            assertThat(p.describe())
                    .contains("embedder: auto -> onnxruntime (fastest measured for fr-feature-512 on 2026-11-28T09:00:00Z")
                    .contains("detector: auto -> onnxruntime (best-ranked available engine; no measurement for ulfg-rfb-320)")
                    .contains("ONNX Runtime");
            assertThat(p.createTemplate(TestData.lfw("Colin_Powell", 1)).isFailed()).isFalse();
        } finally {
            System.clearProperty("sameface.fastest-engines");
        }
    }
}
