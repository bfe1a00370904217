package dev.sameface.openvino;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.Availability;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.InferenceEngineProvider;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.api.engine.Tensor;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenVinoEngineBehaviourTest {
    @TempDir
    Path tmp;

    @Test
    void isFoundByServiceLoaderAsOpenvinoRankedBelowOnnxRuntime() {
        InferenceEngineProvider found = ServiceLoader.load(InferenceEngineProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("openvino")).findFirst().orElseThrow();
        assertThat(found).isInstanceOf(OpenVinoEngineProvider.class);
        assertThat(found.rank()).isLessThan(100);
    }

    @Test
    void emptyRuntimeDirectoryIsUnavailableWithHowToFetchIt() {
        OpenVinoEngineProvider provider = new OpenVinoEngineProvider(tmp);
        Availability a = provider.availability();
        assertThat(a.available()).isFalse();
        assertThat(a.reason()).contains(tmp.toString()).contains("sameface models fetch").contains("SAMEFACE_OPENVINO_LIB")
                .doesNotContain("\n");
        assertThatThrownBy(() -> provider.create(EngineOptions.singleThreaded()))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ENGINE_UNAVAILABLE))
                .hasMessage(a.reason());
    }

    @Test
    void descriptionNamesVersionDeviceThreadsAndPrecision() {
        try (InferenceEngine engine = TestSetup.openVino(EngineOptions.singleThreaded())) {
            assertThat(engine.name()).isEqualTo("openvino");
            assertThat(engine.description()).startsWith("OpenVINO " + OpenVinoRuntime.PINNED_VERSION).contains("CPU").contains("1 inference thread")
                    .contains("precision f32");
        }
    }

    @Test
    void useAfterCloseThrowsAndDoubleCloseIsHarmless() {
        InferenceEngine engine = TestSetup.openVino(EngineOptions.singleThreaded());
        CompiledModel model = engine.load(TestSetup.cachedModel("fr-landmark-68"));
        Map<String, Tensor> in = Map.of("input", Tensor.allocate(1, 1, 64, 64));
        model.run(in);
        engine.close();
        // The model does not depend on the engine object staying open.
        assertThat(model.run(in)).containsKey("output");
        model.close();
        assertThatCode(model::close).doesNotThrowAnyException();
        assertThatCode(engine::close).doesNotThrowAnyException();
        assertThatThrownBy(() -> model.run(in)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> engine.load(TestSetup.cachedModel("fr-landmark-68"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFileThatIsNoModelGivesOpenVinosOwnMessage() throws IOException {
        Path bad = tmp.resolve("not-a-model.onnx");
        Files.writeString(bad, "this is a text file, not an ONNX protobuf\n");
        try (InferenceEngine engine = TestSetup.openVino(EngineOptions.singleThreaded())) {
            assertThatThrownBy(() -> engine.load(ModelSource.onnx("bad", "", bad)))
                    .isInstanceOfSatisfying(FaceException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INCOMPATIBLE);
                        // OpenVINO's own words, flattened onto one line, after the failing call's name.
                        assertThat(e.getMessage()).contains("ov_core_read_model").contains(bad.toString())
                                .contains("GENERAL_ERROR: Unable to read the model").doesNotContain("\n");
                    });
        }
    }

    @Test
    void aMissingModelFileIsModelMissing() {
        try (InferenceEngine engine = TestSetup.openVino(EngineOptions.singleThreaded())) {
            assertThatThrownBy(() -> engine.load(ModelSource.onnx("gone", "", tmp.resolve("gone.onnx"))))
                    .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_MISSING));
        }
    }

    @Test
    void wrongInputsAreModelIncompatible() {
        try (InferenceEngine engine = TestSetup.openVino(EngineOptions.singleThreaded());
             CompiledModel model = engine.load(TestSetup.cachedModel("fr-landmark-68"))) {
            assertThat(model.inputs()).singleElement().satisfies(i -> {
                assertThat(i.name()).isEqualTo("input");
                assertThat(i.shape()).containsExactly(1, 1, 64, 64);
            });
            assertThatThrownBy(() -> model.run(Map.of("input", Tensor.allocate(1, 1, 32, 32))))
                    .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INCOMPATIBLE))
                    .hasMessageContaining("[1, 1, 64, 64]");
            assertThatThrownBy(() -> model.run(Map.of("image", Tensor.allocate(1, 1, 64, 64))))
                    .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INCOMPATIBLE))
                    .hasMessageContaining("input");
        }
    }

    @Test
    void dynamicModelReportsDynamicDimensionsAndOnnxOutputNames() {
        try (InferenceEngine engine = TestSetup.openVino(EngineOptions.singleThreaded());
             CompiledModel yunet = engine.load(TestSetup.yunet())) {
            assertThat(yunet.inputs()).singleElement().satisfies(i -> assertThat(i.shape()).containsExactly(-1, 3, -1, -1));
            // OpenVINO also calls cls_8 "330"; callers get the ONNX graph's names.
            assertThat(yunet.outputs()).extracting(t -> t.name()).contains("cls_8", "obj_8", "bbox_32", "kps_16");
        }
    }

    @Test
    void descriptionSaysWhichPrecisionTheCompiledModelReallyUses() {
        try (InferenceEngine engine = TestSetup.openVino(EngineOptions.singleThreaded().withProperties(Map.of("precision", "bf16")));
             CompiledModel model = engine.load(TestSetup.cachedModel("fr-landmark-68"))) {
            // OpenVINO silently compiles bf16 as f32 on CPUs without bf16; the description must not claim bf16 then.
            boolean fallsBack = engine.description().contains("bf16 asked, f32 used");
            assertThat(((OpenVinoModel) model).precision()).isEqualTo(fallsBack ? "f32" : "bf16");
        }
    }

    @Test
    void unknownPrecisionIsAConfigError() {
        assertThatThrownBy(() -> TestSetup.openVino(EngineOptions.singleThreaded().withProperties(Map.of("precision", "int3"))))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR));
    }

    @Test
    void modelCacheIsWrittenAndASecondLoadFromItGivesTheSameOutput() throws IOException {
        Path cache = tmp.resolve("ov-cache");
        EngineOptions cached = EngineOptions.singleThreaded().withProperties(Map.of("cacheDir", cache.toString()));
        Map<String, Tensor> in = Map.of("input", TestData.modelInput("fr-feature-512", TestData.lfwPhotos(1).getFirst()));
        Tensor first;
        Tensor second;
        try (InferenceEngine engine = TestSetup.openVino(cached);
             CompiledModel model = engine.load(TestSetup.cachedModel("fr-feature-512"))) {
            assertThat(engine.description()).contains("model cache " + cache);
            first = model.run(in).get("output");
        }
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".blob"))).isNotEmpty();
        }
        try (InferenceEngine engine = TestSetup.openVino(cached);
             CompiledModel model = engine.load(TestSetup.cachedModel("fr-feature-512"))) {
            second = model.run(in).get("output");
        }
        assertThat(second.toArray()).containsExactly(first.toArray());
    }
}
