package dev.sameface.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.registry.EngineRegistry;
import dev.sameface.pipeline.registry.CpuFeatures;
import dev.sameface.pipeline.registry.MeasuredEngines;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.sameface.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench-models} on real photos and real engines (ONNX Runtime and OpenVINO, both on the CLI's class path),
 * and {@code engine: auto} following what it measured.
 */
class ModelBenchCommandTest {
    @TempDir
    Path dir;


    @Test
    void autoRunsTheEmbedderOnTheEngineMeasuredFastest() {
        Path file = dir.resolve("fastest-engines.yaml");
        MeasuredEngines.empty().with(Map.of("fr-feature-512", new MeasuredEngines.Measurement("openvino", "2026-11-28T09:00:00Z",
                List.of("onnxruntime", "openvino"), Map.of("onnxruntime", 14.0, "openvino", 11.0), Map.of(), "1x3x112x112"))).write(file);
        System.setProperty("sameface.fastest-engines", file.toString());
        try (FacePipeline p = TestData.pipeline(PipelineConfig.defaults().withEngine(EngineRegistry.AUTO))) {
            String d = p.describe();
            assertThat(d).contains("embedder: auto -> openvino (fastest measured for fr-feature-512 on 2026-11-28T09:00:00Z among [onnxruntime, openvino])")
                    .contains("detector: auto -> onnxruntime (best-ranked available engine; no measurement for ulfg-rfb-320)");
            // Engines are created when a stage loads a model on them: OpenVINO is live only because the embedder is on it.
            assertThat(d).contains("OpenVINO").contains("ONNX Runtime");
            assertThat(p.createTemplate(TestData.lfw("Colin_Powell", 1)).isFailed()).isFalse();
        } finally {
            System.clearProperty("sameface.fastest-engines");
        }
    }

    @Test
    void measuredEngineThatIsNotAvailableNowFallsBackAndSaysWhy() throws Exception {
        MeasuredEngines m = MeasuredEngines.empty().with(Map.of("fr-feature-512", new MeasuredEngines.Measurement("openvino",
                "2026-11-28T09:00:00Z", List.of("onnxruntime", "openvino"), Map.of(), Map.of(), "1x3x112x112")));
        // OpenVINO's engine looks for its libraries where this property says, at every availability check.
        Path empty = java.nio.file.Files.createDirectories(dir.resolve("no-openvino-here"));
        System.setProperty("sameface.openvino.lib", empty.toString());
        try {
            MeasuredEngines.Choice c = m.choose(EngineRegistry.load(), "fr-feature-512");
            assertThat(c.provider().name()).isEqualTo("onnxruntime");
            assertThat(c.reason()).startsWith("best-ranked available engine; measured fastest for fr-feature-512 was openvino, not available now: ")
                    .contains(empty.toString());
        } finally {
            System.clearProperty("sameface.openvino.lib");
        }
        assertThat(m.choose(EngineRegistry.load(), "fr-feature-512").provider().name()).isEqualTo("openvino");
    }

    @Test
    void benchModelsComparesEnginesOnRealPhotosAndRemembersTheFastest() throws Exception {
        Path file = dir.resolve("bench/fastest-engines.yaml");
        CliRun r = run("bench-models", "--json", "--engines", "onnxruntime,openvino", "--models", "fr-landmark-68,fr-feature-512",
                "--iterations", "5", "--warmup", "1", "--cosine-photos", "5", "--photos", TestData.lfwImages().toString(),
                "--save", file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode root = Json.MAPPER.readTree(r.out());
        assertThat(root.get("engines").get("openvino").asText()).contains("OpenVINO").contains("precision f32");
        assertThat(root.get("models")).hasSize(2);
        MeasuredEngines saved = MeasuredEngines.read(file);
        for (JsonNode m : root.get("models")) {
            List<String> engines = new ArrayList<>();
            double best = Double.MAX_VALUE;
            String fastest = null;
            for (JsonNode row : m.get("results")) {
                engines.add(row.get("engine").asText());
                assertThat(row.get("median_ms").asDouble()).isPositive().isLessThanOrEqualTo(row.get("p95_ms").asDouble());
                if (row.get("median_ms").asDouble() < best) {
                    best = row.get("median_ms").asDouble();
                    fastest = row.get("engine").asText();
                }
            }
            assertThat(engines).containsExactly("onnxruntime", "openvino");
            assertThat(m.get("results").get(0).get("median_ratio").asDouble()).isEqualTo(1.0);
            assertThat(m.get("fastest").asText()).isEqualTo(fastest);
            MeasuredEngines.Measurement s = saved.measurement(m.get("model").asText()).orElseThrow();
            assertThat(s.fastest()).isEqualTo(fastest);
            assertThat(s.compared()).containsExactly("onnxruntime", "openvino");
            assertThat(s.medianMs()).containsOnlyKeys("onnxruntime", "openvino");
        }
        JsonNode feature = root.get("models").get(1);
        assertThat(feature.get("input").asText()).isEqualTo("1x3x112x112");
        JsonNode cos = feature.get("cosine_vs_onnxruntime").get(0);
        assertThat(cos.get("engine").asText()).isEqualTo("openvino");
        assertThat(cos.get("min").asDouble()).isGreaterThanOrEqualTo(0.9999);
        assertThat(root.get("saved").asText()).isEqualTo(file.toString());
    }

    @Test
    void tableNamesTheReferenceAndSaysWhenADynamicInputWasTimedAtAChosenSize() {
        // YuNet is no registry's package: the product reads it from SAMEFACE_LOCAL_MODELS, the tests from ../shared/models.
        System.setProperty("sameface.local-models", TestData.sharedModels().toString());
        CliRun r;
        try {
            r = run("bench-models", "--engines", "onnxruntime,openvino", "--models", "yunet-n", "--dynamic-input", "320x256",
                    "--iterations", "2", "--warmup", "0", "--photos", TestData.lfwImages().toString(), "--no-save");
        } finally {
            System.clearProperty("sameface.local-models");
        }
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("| model | input | engine | median ms | p95 ms | median vs onnxruntime |")
                .contains("| yunet-n | 1x3x256x320 (dynamic input, timed at 320x256) | openvino |")
                .doesNotContain("remembered");
    }

    @Test
    void withoutRealPhotosItFailsAndSaysWhatItNeeds() {
        CliRun missing = run("bench-models", "--photos", dir.resolve("nowhere").toString(), "--no-save");
        assertThat(missing.exit()).isEqualTo(4);
        assertThat(missing.err()).contains("not a folder").contains("needs real photos").hasLineCount(1);

        CliRun empty = run("bench-models", "--photos", dir.toString(), "--no-save");
        assertThat(empty.exit()).isEqualTo(4);
        assertThat(empty.err()).contains("no .jpg or .png photos under " + dir);
    }

    /** Needs the gated int8 copy: ./sameface models prepare --precision int8 fr-feature-512. */
    @Test
    @Tag("slow") // needs the int8 copy (a quantise step at set-up)
    void precisionsAreTimedWhereTheyCanRunAndTheFastestPassingOneIsRemembered() throws Exception {
        Path file = dir.resolve("bench/fastest-engines.yaml");
        CliRun r = run("bench-models", "--json", "--engines", "onnxruntime,openvino", "--models", "fr-feature-512",
                "--precisions", "f32,int8,bf16", "--iterations", "5", "--warmup", "1", "--cosine-photos", "5",
                "--photos", TestData.lfwImages().toString(), "--save", file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode root = Json.MAPPER.readTree(r.out());
        JsonNode feature = root.get("models").get(0);
        List<String> columns = new ArrayList<>();
        feature.get("results").forEach(row -> columns.add(row.get("engine").asText()));
        boolean bf16 = CpuFeatures.current().hasBf16();
        var gate = TestData.cache().int8Sidecar("fr-feature-512").gate();
        String int8 = gate.passed() ? "int8" : "int8-failed-gate";
        assertThat(columns).containsAll(List.of("onnxruntime", "openvino", "onnxruntime/" + int8, "openvino/" + int8));
        assertThat(columns.contains("openvino/bf16")).as("bf16 column exactly when the CPU reports bf16").isEqualTo(bf16);
        if (!bf16) {
            assertThat(root.get("notes").toString()).contains("bf16 skipped: this CPU").contains("no avx512_bf16 or amx_bf16");
        }
        // Compared with the reference like any engine (the tolerance on aligned faces is the parity suite's).
        List<String> cosEngines = new ArrayList<>();
        feature.get("cosine_vs_onnxruntime").forEach(c -> cosEngines.add(c.get("engine").asText()));
        assertThat(cosEngines).contains("onnxruntime/" + int8, "openvino/" + int8);
        MeasuredEngines.Measurement saved = MeasuredEngines.read(file).measurement("fr-feature-512").orElseThrow();
        assertThat(saved.compared()).as("engines are ranked on their f32 rows").containsExactly("onnxruntime", "openvino");
        assertThat(saved.precisions()).containsOnlyKeys("onnxruntime", "openvino");
        for (String engine : List.of("onnxruntime", "openvino")) {
            Map<String, Double> ms = saved.precisionMedianMs().get(engine);
            assertThat(ms).containsKeys("f32", int8);
            // A copy that failed its gate is never the choice, however fast.
            String expected = gate.passed() && ms.get("int8") < ms.get("f32") / 1.05 ? "int8" : "f32";
            assertThat(saved.precisions().get(engine)).as("fastest passing precision on %s from %s", engine, ms).isEqualTo(expected);
        }
    }
}
