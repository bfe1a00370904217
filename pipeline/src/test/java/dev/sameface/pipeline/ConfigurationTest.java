package dev.sameface.pipeline;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.registry.EngineRegistry;
import dev.sameface.pipeline.registry.StageRegistry;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Configuration errors name what is wrong and list what is known; plugins load through ServiceLoader. */
class ConfigurationTest {
    @TempDir
    Path dir;

    private static void assertCode(Runnable r, ErrorCode code, String... parts) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(FaceException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            for (String p : parts) {
                assertThat(e.getMessage()).contains(p);
            }
        });
    }

    @Test
    void defaultConfigurationShipsInTheJarWithACalibratedThreshold() {
        PipelineConfig c = PipelineConfig.defaults();
        assertThat(c.detector().plugin()).isEqualTo("ultralight");
        assertThat(c.embedder().model()).isEqualTo("fr-feature-512");
        assertThat(c.threshold()).isBetween(-1.0, 1.0);
        assertThat(c.thresholdFmr()).contains("1e-3");
        assertThat(c.engine()).isEqualTo("onnxruntime");
        assertThat(c.threads()).isEqualTo(1);
    }

    @Test
    void untrainedSpeedOnlyModelsAreRefusedForDecisions() {
        // The manifest's generated iResNets have seeded random weights: bench-models may time them, no pipeline may use them.
        var manifest = TestData.cache().manifest();
        for (String id : new String[]{"iresnet100", "iresnet50"}) {
            assertThat(manifest.model(id).isUntrained()).isTrue();
            PipelineConfig c = PipelineConfig.defaults().withOverrides(Map.of("embedder.model", id));
            assertCode(() -> TestData.pipeline(c).close(), ErrorCode.CONFIG_ERROR, "model " + id, "untrained", "speed measurement only");
        }
        assertThat(manifest.model("fr-feature-512").isUntrained()).isFalse();
    }

    @Test
    void unknownTopLevelKeyListsTheKnownKeys() throws IOException {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "engine: onnxruntime\nthreshhold: 0.3\n");
        assertCode(() -> PipelineConfig.load(f), ErrorCode.CONFIG_ERROR, "threshhold", "threshold", "detector");
    }

    @Test
    void unknownStageOptionListsTheKnownOptions() {
        PipelineConfig c = PipelineConfig.defaults().withOverrides(Map.of("embedder.options.flip_tta", "true"));
        assertCode(() -> TestData.pipeline(c), ErrorCode.CONFIG_ERROR, "flip_tta", "flip-tta");
    }

    @Test
    void alignerCropThatDoesNotFitTheEmbedderFailsAtStartUp() {
        // The aligner says its crop size itself (Aligner.cropSize), so the pipeline checks it without knowing the plugin.
        PipelineConfig c = PipelineConfig.defaults().withOverrides(Map.of("aligner.options.size", "128"));
        assertCode(() -> TestData.pipeline(c), ErrorCode.CONFIG_ERROR, "aligner crop size 128", "embedder's input 112");
    }

    @Test
    void describeSaysWhetherTheEmbedderMirrors() {
        try (FacePipeline plain = TestData.pipeline(PipelineConfig.defaults());
             FacePipeline tta = TestData.pipeline(PipelineConfig.defaults().withOverrides(Map.of("embedder.options.flip-tta", "true")))) {
            assertThat(plain.mirrorsCrops()).isFalse();
            assertThat(plain.describe()).contains("flip-tta false");
            assertThat(tta.mirrorsCrops()).isTrue();
            assertThat(tta.describe()).contains("flip-tta true");
        }
    }

    @Test
    void describeNamesTheConfiguredOptionsSoThatDifferentPipelinesNeverReadAlike() {
        PipelineConfig framed = PipelineConfig.defaults().withOverrides(Map.of("detector.options.margin", "0.2",
                "detector.options.onet-mirror", "false", "face-selection", "largest"));
        try (FacePipeline plain = TestData.pipeline(PipelineConfig.defaults());
             FacePipeline other = TestData.pipeline(framed)) {
            assertThat(plain.describe()).contains("detector ultralight (ulfg-rfb-320), face selection large-central, aligner similarity, embedder");
            assertThat(other.describe()).contains("detector ultralight (ulfg-rfb-320, margin 0.2, onet-mirror false), face selection largest,");
            // The enrolments differ too: the options are in force, not only printed.
            assertThat(other.createTemplate(TestData.lfw("Colin_Powell", 1)).landmarks())
                    .isNotEqualTo(plain.createTemplate(TestData.lfw("Colin_Powell", 1)).landmarks());
        }
    }

    @Test
    void unknownPluginListsTheKnownPlugins() {
        PipelineConfig c = PipelineConfig.defaults().withOverrides(Map.of("detector.plugin", "retinaface"));
        assertCode(() -> TestData.pipeline(c), ErrorCode.UNKNOWN_NAME, "retinaface", "ultralight", "yunet");
    }

    @Test
    void unknownEngineListsTheKnownEngines() {
        assertCode(() -> TestData.pipeline(PipelineConfig.defaults().withEngine("tensorrt")), ErrorCode.UNKNOWN_NAME, "tensorrt", "onnxruntime");
    }

    @Test
    void unknownModelListsTheManifest() {
        PipelineConfig c = PipelineConfig.defaults().withOverrides(Map.of("embedder.model", "arcface-r100"));
        assertCode(() -> TestData.pipeline(c), ErrorCode.UNKNOWN_NAME, "arcface-r100", "fr-feature-512");
    }

    @Test
    void invalidYamlIsAConfigError() throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "engine: [onnxruntime\n");
        assertCode(() -> PipelineConfig.load(f), ErrorCode.CONFIG_ERROR, "bad.yaml");
        assertCode(() -> PipelineConfig.load(dir.resolve("absent.yaml")), ErrorCode.CONFIG_ERROR, "not found");
    }

    @Test
    void aFileOverridesOnlyWhatItNames() throws IOException {
        Path f = dir.resolve("tta.yaml");
        Files.writeString(f, "embedder:\n  options: {flip-tta: true}\nthreshold: 0.5\n");
        PipelineConfig c = PipelineConfig.load(f);
        assertThat(c.embedder().options()).containsEntry("flip-tta", "true");
        assertThat(c.embedder().model()).isEqualTo("fr-feature-512");
        assertThat(c.threshold()).isEqualTo(0.5);
        assertThat(PipelineConfig.load(dir.resolve("tta.yaml")).toYaml()).contains("flip-tta");
    }

    @Test
    void anotherPluginStartsFromItsOwnDefaults() throws IOException {
        // The default detector's landmark-model option means nothing to YuNet; it must not be carried over.
        Path f = dir.resolve("yunet.yaml");
        Files.writeString(f, "detector:\n  plugin: yunet\n");
        PipelineConfig fromFile = PipelineConfig.load(f);
        assertThat(fromFile.detector().options()).isEmpty();
        assertThat(fromFile.detector().model()).isNull();
        PipelineConfig fromOverride = PipelineConfig.defaults().withOverrides(Map.of("detector.plugin", "yunet"));
        assertThat(fromOverride.detector().options()).isEmpty();
        try (FacePipeline p = TestData.pipeline(fromFile)) {
            assertThat(p.describe()).contains("yunet");
            assertThat(p.createTemplate(TestData.lfw("Colin_Powell", 1)).isFailed()).isFalse();
        }
    }

    @Test
    void builtInPluginsAndTheReferenceEngineAreFoundByServiceLoader() {
        StageRegistry s = StageRegistry.load();
        assertThat(s.detectors()).containsKeys("ultralight", "yunet");
        assertThat(s.aligners()).containsKey("similarity");
        assertThat(s.embedders()).containsKey("arcface");
        assertThat(s.matchers()).containsKey("cosine");
        assertThat(EngineRegistry.load().get("onnxruntime").isAvailable()).isTrue();
        assertThat(EngineRegistry.load().get("auto").name()).isEqualTo("onnxruntime");
    }

    @Test
    void closedPipelineRefusesUse() {
        FacePipeline p = TestData.pipeline(PipelineConfig.defaults());
        p.close();
        p.close();
        assertThatThrownBy(() -> p.createTemplate(TestData.lfw("Colin_Powell", 1))).isInstanceOf(IllegalStateException.class);
    }
}
