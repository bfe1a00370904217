package dev.sameface.examples;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.Verification;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The example programs as a user runs them: the shipped configuration files, the standard model cache, and models
 * no registry ships found through the local-models setting (here ../shared/models, as examples/run sets it).
 */
class ExamplesTest {
    private static final Path CONFIGS = Path.of("configs");
    private static String previousLocalModels;

    @BeforeAll
    static void pointLocalModelsAtShared() {
        previousLocalModels = System.getProperty("sameface.local-models");
        System.setProperty("sameface.local-models", TestData.sharedModels().toString());
    }

    @AfterAll
    static void restore() {
        if (previousLocalModels == null) {
            System.clearProperty("sameface.local-models");
        } else {
            System.setProperty("sameface.local-models", previousLocalModels);
        }
    }

    @Test
    void selectBackendsFromTheShippedRetinaFaceConfig() {
        String config = CONFIGS.resolve("retinaface.yaml").toString();
        String powell1 = TestData.lfw("Colin_Powell", 1).toString();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Verification same = SelectBackendsFromConfig.run(new String[]{config, powell1, TestData.lfw("Colin_Powell", 2).toString()}, print(buf));
        // A trailing key=value is an override, as with the CLI's --set.
        Verification different = SelectBackendsFromConfig.run(new String[]{config, powell1, TestData.lfw("Serena_Williams", 1).toString(),
                "detector.options.top-k=5"}, print(buf));
        assertThat(same.same()).as("score %s", same.score()).isTrue();
        assertThat(different.same()).as("score %s", different.score()).isFalse();
        String text = buf.toString(StandardCharsets.UTF_8);
        // The shipped file's options, and the override on top of them in the second run.
        assertThat(text).contains("detector retinaface (retinaface-mnet025, max-side 640, score-threshold 0.6)",
                "detector retinaface (retinaface-mnet025, max-side 640, score-threshold 0.6, top-k 5)",
                "SAME person", "DIFFERENT people", "threshold:", "detect");
    }

    @Test
    void shippedPerStageEnginesConfigNamesOneEnginePerStage() {
        PipelineConfig c = PipelineConfig.load(CONFIGS.resolve("per-stage-engines.yaml"));
        assertThat(c.engineFor(c.detector())).isEqualTo("onnxruntime");
        assertThat(c.engineFor(c.embedder())).isEqualTo("openvino");
        assertThat(c.detector().plugin()).isEqualTo("yunet");
        assertThat(c.detector().options()).isEmpty();
    }

    @Test
    void selectBackendsFailsWithATypedErrorForAnUnknownEngine() {
        String[] args = {CONFIGS.resolve("retinaface.yaml").toString(), TestData.lfw("Colin_Powell", 1).toString(),
                TestData.lfw("Colin_Powell", 2).toString(), "engine=no-such-engine"};
        assertThatThrownBy(() -> SelectBackendsFromConfig.run(args, print(new ByteArrayOutputStream())))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_NAME))
                .hasMessageContaining("no-such-engine").hasMessageContaining("onnxruntime");
    }

    @Test
    void compareEnginesMeasuresEveryEngineThatCanRunAndSkipsTheRest() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Map<String, Double> medians = CompareEngines.run(new String[]{"--engines", "no-such-engine,onnxruntime", "--rounds", "1",
                "--config", CONFIGS.resolve("retinaface.yaml").toString(),
                TestData.lfw("Colin_Powell", 1).toString(), TestData.lfw("Serena_Williams", 1).toString()}, print(buf));
        assertThat(medians).containsOnlyKeys("onnxruntime");
        assertThat(medians.get("onnxruntime")).isPositive();
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("skipping no-such-engine: UNKNOWN_NAME", "(reference)", "2 photos x 1 rounds");
    }

    @Test
    void compareEnginesWithoutNamesTakesEveryEngineOnTheClassPath() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Map<String, Double> medians = CompareEngines.run(new String[]{"--rounds", "1", TestData.lfw("Tony_Blair", 3).toString()}, print(buf));
        // This module's test class path holds one engine, ONNX Runtime; examples/run --all-engines adds the others.
        assertThat(medians.keySet()).containsExactlyElementsOf(
                dev.sameface.pipeline.registry.EngineRegistry.load().all().stream().map(p -> p.name()).toList());
    }

    private static PrintStream print(ByteArrayOutputStream buf) {
        return new PrintStream(buf, true, StandardCharsets.UTF_8);
    }
}
