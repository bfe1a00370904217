package dev.sameface.pipeline;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.ModelFormat;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.models.ModelManifest;
import dev.sameface.pipeline.models.QuantisedSidecar;
import dev.sameface.pipeline.registry.CpuFeatures;
import dev.sameface.pipeline.registry.MeasuredEngines;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code precision: f32 | bf16 | int8 | auto} on real models: what runs, what is refused and why, and how
 * {@code auto} follows bench-models' record. Needs the gated int8 copy: {@code ./sameface models prepare --precision int8 fr-feature-512}.
 */
@Tag("slow") // needs the gated int8 copy (a quantise step at set-up)
class PrecisionTest {
    private static final String ID = "fr-feature-512";
    private static final Path PHOTO = TestData.lfw("George_W_Bush", 1);

    @TempDir
    Path dir;

    @AfterEach
    void forgetMeasurementFile() {
        System.clearProperty("sameface.fastest-engines");
    }

    private static PipelineConfig embedderAt(String precision) {
        PipelineConfig d = TestData.defaultConfig();
        return d.withEmbedder(d.embedder().withPrecision(precision));
    }

    @Test
    void unknownPrecisionIsAConfigErrorListingTheKnownOnes() {
        assertThatThrownBy(() -> PipelineConfig.defaults().withOverrides(Map.of("embedder.precision", "fp16")))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR))
                .hasMessageContaining("fp16").hasMessageContaining("f32, bf16, int8, auto");
        assertThatThrownBy(() -> PipelineConfig.defaults().withOverrides(Map.of("precision", "half")))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR));
    }

    @Test
    void stagePrecisionOverridesThePipelines() {
        PipelineConfig c = PipelineConfig.defaults().withOverrides(Map.of("precision", "int8", "detector.precision", "f32"));
        assertThat(c.precisionFor(c.detector()).id()).isEqualTo("f32");
        assertThat(c.precisionFor(c.embedder()).id()).isEqualTo("int8");
        assertThat(PipelineConfig.load(writeYaml("embedder: {precision: int8}\n")).precisionFor(PipelineConfig.defaults().embedder().withPrecision("int8")).id())
                .isEqualTo("int8");
    }

    private Path writeYaml(String text) {
        try {
            return Files.writeString(dir.resolve("c.yaml"), text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The real copy, with the real gate's verdict: passed, it runs; failed, it is refused with its numbers. */
    @Test
    void theRealCopysGateDecidesWhetherInt8Runs() {
        QuantisedSidecar sidecar = TestData.cache().int8Sidecar(ID);
        assertThat(sidecar.gate()).as("the int8 copy's gate ran (./sameface models prepare --precision int8 %s)", ID).isNotNull();
        if (sidecar.gate().passed()) {
            try (FacePipeline p = TestData.pipeline(embedderAt("int8"))) {
                assertThat(p.precision("embedder")).isEqualTo("int8");
            }
        } else {
            assertThatThrownBy(() -> TestData.pipeline(embedderAt("int8")).close())
                    .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR))
                    .hasMessageContaining("failed its accuracy gate").hasMessageContaining(sidecar.gate().summary());
        }
    }

    /** A sidecar whose gate passed (int8 FNMR equal to f32's), over the real files. */
    private ModelCache homeWithPassedGate() throws Exception {
        return homeWithSidecar(good -> {
            var g = good.gate();
            return new QuantisedSidecar(good.format(), good.precision(), good.sourceSha256(), good.sha256(), good.method(), good.recipe(),
                    good.calibration(), new QuantisedSidecar.Gate(g.protocol(), g.targetFmr(), g.maxRelativeIncrease(), g.fnmrF32(),
                    g.thresholdF32(), g.fnmrF32(), g.thresholdInt8(), g.genuine(), g.impostors(), true), good.speedOnly(), good.created(),
                    good.cpu());
        });
    }

    @Test
    void int8RunsAGatedCopyAndSaysSo() throws Exception {
        ModelCache cache = homeWithPassedGate();
        try (FacePipeline f32 = Pipelines.create(TestData.defaultConfig(), cache);
             FacePipeline int8 = Pipelines.create(embedderAt("int8"), cache)) {
            assertThat(int8.precision("embedder")).isEqualTo("int8");
            assertThat(int8.precision("detector")).isEqualTo("f32");
            assertThat(int8.describe()).contains("embedder precision int8 (configured)").contains("detector precision f32");
            assertThat(int8.fingerprint()).as("int8 templates are stored apart from f32 ones").isNotEqualTo(f32.fingerprint());
            assertThat(int8.modelFingerprint()).as("same weights, same embedding space").isEqualTo(f32.modelFingerprint());
            var a = f32.createTemplate(PHOTO);
            var b = int8.createTemplate(PHOTO);
            double cos = a.embedding().dot(b.embedding());
            assertThat(cos).as("a quantised embedding is not the f32 one").isLessThan(1.0);
        }
    }

    @Test
    void explicitF32HasTheSameFingerprintAsBefore() {
        try (FacePipeline implicit = TestData.pipeline(TestData.defaultConfig());
             FacePipeline explicit = TestData.pipeline(embedderAt("f32").withPrecision("f32"))) {
            assertThat(explicit.fingerprint()).isEqualTo(implicit.fingerprint());
        }
    }

    @Test
    void bf16OnAnEngineOtherThanOpenVinoIsRefusedWithTheReason() {
        assertThatThrownBy(() -> TestData.pipeline(embedderAt("bf16")).close())
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR))
                .hasMessageContaining("embedder: precision bf16 runs only on the openvino engine").hasMessageContaining("onnxruntime");
    }

    @Test
    void int8OnADetectorIsRefusedWithoutPointingAtACommandThatCannotMakeIt() {
        PipelineConfig c = PipelineConfig.defaults().withOverrides(Map.of("detector.precision", "int8"));
        assertThatThrownBy(() -> TestData.pipeline(c).close())
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR))
                .hasMessageContaining("is a detector; int8 copies are made for embedders only")
                .hasMessageNotContaining("models prepare");
    }

    @Test
    void autoWithoutAMeasurementRunsF32AndSaysWhy() {
        System.setProperty("sameface.fastest-engines", dir.resolve("none.yaml").toString());
        try (FacePipeline p = TestData.pipeline(TestData.defaultConfig().withPrecision("auto"))) {
            assertThat(p.precision("embedder")).isEqualTo("f32");
            assertThat(p.describe()).contains("auto: no precision measured for " + ID + " on onnxruntime");
        }
    }

    @Test
    void autoFollowsTheRecordedFastestPrecisionThatPassedItsGate() throws Exception {
        ModelCache cache = homeWithPassedGate();
        Path file = dir.resolve("fastest-engines.yaml");
        MeasuredEngines.empty().with(Map.of(ID, new MeasuredEngines.Measurement("onnxruntime", "2026-11-30T10:00:00Z",
                List.of("onnxruntime", "openvino"), Map.of("onnxruntime", 11.0, "openvino", 12.0), Map.of(), "1x3x112x112",
                Map.of("onnxruntime", "int8"), Map.of("onnxruntime", Map.of("f32", 11.0, "int8", 7.0))))).write(file);
        System.setProperty("sameface.fastest-engines", file.toString());
        PipelineConfig auto = embedderAt("auto");
        try (FacePipeline p = Pipelines.create(auto, cache)) {
            assertThat(p.precision("embedder")).isEqualTo("int8");
            assertThat(p.describe()).contains("auto: fastest passing precision measured for " + ID + " on onnxruntime");
        }
    }

    /**
     * A temporary home holding links to the default pipeline's real models and the real int8 copy, and the real sidecar with its source hash
     * and gate replaced: the refusal paths on real files.
     */
    private ModelCache homeWithSidecar(java.util.function.UnaryOperator<QuantisedSidecar> change) throws Exception {
        ModelCache real = TestData.cache();
        Path home = dir.resolve("home");
        Path int8 = QuantisedSidecar.modelFile(home, ID);
        Files.createDirectories(int8.getParent());
        for (String model : List.of(ID, "ulfg-rfb-320", "mtcnn-onet")) {
            Files.createDirectories(home.resolve("models").resolve(model));
            Files.createSymbolicLink(home.resolve("models").resolve(model).resolve(model + ".onnx"), real.cachedFile(model).toAbsolutePath());
        }
        Files.createSymbolicLink(int8, QuantisedSidecar.modelFile(real.home(), ID).toAbsolutePath());
        change.apply(real.int8Sidecar(ID)).write(QuantisedSidecar.sidecarFile(int8));
        return new ModelCache(ModelManifest.load(), home, List.of());
    }

    @Test
    void aFailedGateRefusesInt8WithTheMeasuredNumbersAndAutoFallsBackToF32() throws Exception {
        QuantisedSidecar.Gate[] failed = new QuantisedSidecar.Gate[1];
        ModelCache cache = homeWithSidecar(good -> {
            var g = good.gate();
            failed[0] = new QuantisedSidecar.Gate(g.protocol(), g.targetFmr(), g.maxRelativeIncrease(), g.fnmrF32(), g.thresholdF32(),
                    g.fnmrF32() * 1.5, g.thresholdInt8(), g.genuine(), g.impostors(), false);
            return new QuantisedSidecar(good.format(), good.precision(), good.sourceSha256(), good.sha256(), good.method(), good.recipe(),
                    good.calibration(), failed[0], good.speedOnly(), good.created(), good.cpu());
        });
        assertThat(cache.source(ID).file(ModelFormat.ONNX)).isPresent();
        assertThatThrownBy(() -> cache.int8Source(ID))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR))
                .hasMessageContaining("failed its accuracy gate").hasMessageContaining(failed[0].summary());
        assertThatThrownBy(() -> Pipelines.create(embedderAt("int8"), cache).close())
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR));

        Path file = dir.resolve("fastest-engines.yaml");
        MeasuredEngines.empty().with(Map.of(ID, new MeasuredEngines.Measurement("onnxruntime", "2026-11-30T10:00:00Z",
                List.of("onnxruntime"), Map.of("onnxruntime", 11.0), Map.of(), "1x3x112x112",
                Map.of("onnxruntime", "int8"), Map.of("onnxruntime", Map.of("f32", 11.0, "int8", 7.0))))).write(file);
        System.setProperty("sameface.fastest-engines", file.toString());
        try (FacePipeline p = Pipelines.create(embedderAt("auto"), cache)) {
            assertThat(p.precision("embedder")).isEqualTo("f32");
            assertThat(p.describe()).contains("measured fastest int8 cannot run now").contains("failed its accuracy gate");
        }
    }

    @Test
    void anInt8CopyOfOtherWeightsIsNeverUsed() throws Exception {
        ModelCache cache = homeWithSidecar(good -> new QuantisedSidecar(good.format(), good.precision(), "0".repeat(64), good.sha256(),
                good.method(), good.recipe(), good.calibration(), good.gate(), good.speedOnly(), good.created(), good.cpu()));
        assertThatThrownBy(() -> cache.int8Source(ID))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_MISSING))
                .hasMessageContaining("made from other weights").hasMessageContaining("models prepare --precision int8 " + ID);
    }

    @Test
    void cpuFlagsDecideBf16() {
        CpuFeatures amd = CpuFeatures.parse("model name\t: AMD EPYC\nflags\t\t: fpu sse avx avx2 fma\n");
        CpuFeatures intel = CpuFeatures.parse("model name\t: Intel(R) Xeon(R) Platinum 8480+\nflags\t\t: avx2 avx512f avx512_bf16 amx_bf16 amx_int8 avx512_vnni\n");
        assertThat(amd.hasBf16()).isFalse();
        assertThat(amd.hasInt8DotProduct()).isFalse();
        assertThat(amd.precisionFlags()).isEqualTo("avx avx2 fma");
        assertThat(intel.hasBf16()).isTrue();
        assertThat(intel.hasInt8DotProduct()).isTrue();
        assertThat(intel.model()).isEqualTo("Intel(R) Xeon(R) Platinum 8480+");
    }
}
