package dev.sameface.djl;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.InferenceEngineProvider;
import dev.sameface.api.engine.ModelFormat;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.api.engine.Tensor;
import dev.sameface.djl.Fixtures.TestModel;
import dev.sameface.torchscript.TorchScriptSidecar;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Registration, closing, and the errors a user meets when the TorchScript export is missing or stale. */
@Tag("slow") // needs the TorchScript export
class DjlLifecycleTest {
    private static InferenceEngine pytorch;
    private static InferenceEngine djlOnnx;

    @BeforeAll
    static void start() {
        djlOnnx = Fixtures.provider(DjlOnnxRuntimeEngineProvider.NAME).create(EngineOptions.singleThreaded());
        pytorch = Fixtures.provider(DjlPyTorchEngineProvider.NAME).create(EngineOptions.singleThreaded());
    }

    @AfterAll
    static void stop() {
        pytorch.close();
        djlOnnx.close();
    }

    private static InferenceEngine engine(String name) {
        return name.equals(DjlPyTorchEngineProvider.NAME) ? pytorch : djlOnnx;
    }

    @Test
    void bothEnginesAreFoundByServiceLoaderAndAvailable() {
        List<String> names = ServiceLoader.load(InferenceEngineProvider.class).stream()
                .map(p -> p.get().name()).toList();
        assertThat(names).contains(DjlPyTorchEngineProvider.NAME, DjlOnnxRuntimeEngineProvider.NAME);
        for (String n : List.of(DjlPyTorchEngineProvider.NAME, DjlOnnxRuntimeEngineProvider.NAME)) {
            assertThat(Fixtures.provider(n).availability().available()).as(Fixtures.provider(n).availability().reason()).isTrue();
        }
        assertThat(pytorch.formats()).containsExactly(ModelFormat.TORCHSCRIPT);
        assertThat(djlOnnx.formats()).containsExactly(ModelFormat.ONNX);
        assertThat(pytorch.description()).contains("1 intra-op / 1 inter-op");
        assertThat(djlOnnx.description()).contains("1 intra-op / 1 inter-op");
    }

    @ParameterizedTest
    @ValueSource(strings = {DjlPyTorchEngineProvider.NAME, DjlOnnxRuntimeEngineProvider.NAME})
    void useAfterCloseThrowsAndDoubleCloseIsHarmless(String name) {
        InferenceEngine e = engine(name);
        CompiledModel model = e.load(Fixtures.source(TestModel.EMBEDDER));
        Tensor x = Fixtures.input(TestModel.EMBEDDER, Fixtures.photos(1).getFirst(), 112, 112);
        assertThat(model.run(Map.of("input", x)).get("output").shape()).containsExactly(1, 512);
        model.close();
        assertThatCode(model::close).doesNotThrowAnyException();
        assertThatThrownBy(() -> model.run(Map.of("input", x))).isInstanceOf(IllegalStateException.class);

        InferenceEngine other = Fixtures.provider(name).create(EngineOptions.singleThreaded());
        other.close();
        assertThatCode(other::close).doesNotThrowAnyException();
        assertThatThrownBy(() -> other.load(Fixtures.source(TestModel.EMBEDDER))).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {DjlPyTorchEngineProvider.NAME, DjlOnnxRuntimeEngineProvider.NAME})
    void wrongInputIsModelIncompatible(String name) {
        try (CompiledModel model = engine(name).load(Fixtures.source(TestModel.EMBEDDER))) {
            assertThatThrownBy(() -> model.run(Map.of("image", Tensor.allocate(1, 3, 112, 112))))
                    .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INCOMPATIBLE))
                    .hasMessageContaining("input");
            assertThatThrownBy(() -> model.run(Map.of("input", Tensor.allocate(1, 3, 64, 64))))
                    .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INCOMPATIBLE))
                    .hasMessageContaining("[1, 3, 112, 112]");
        }
    }

    @Test
    void noTorchScriptFormIsModelMissingNamingThePrepareStep() {
        ModelSource onnxOnly = ModelSource.onnx("fr-feature-512", Fixtures.sha256(TestModel.EMBEDDER.onnx()), TestModel.EMBEDDER.onnx());
        assertThatThrownBy(() -> pytorch.load(onnxOnly))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_MISSING))
                .hasMessageContaining("models prepare");
    }

    @Test
    void missingPtFileIsModelMissingNamingThePrepareStep(@TempDir Path dir) {
        ModelSource gone = new ModelSource("fr-feature-512", "0".repeat(64),
                Map.of(ModelFormat.TORCHSCRIPT, dir.resolve("fr-feature-512.pt")), List.of("output"));
        assertThatThrownBy(() -> pytorch.load(gone))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_MISSING))
                .hasMessageContaining("models prepare")
                .hasMessageContaining(dir.resolve("fr-feature-512.pt").toString());
    }

    @Test
    void exportOfOtherWeightsIsRefused(@TempDir Path dir) throws IOException {
        ModelSource real = Fixtures.source(TestModel.EMBEDDER);
        Path pt = Files.copy(TestModel.EMBEDDER.torchScript(), dir.resolve("fr-feature-512.pt"));
        Files.copy(TorchScriptSidecar.pathFor(TestModel.EMBEDDER.torchScript()), TorchScriptSidecar.pathFor(pt));
        ModelSource otherWeights = new ModelSource(real.id(), "f".repeat(64), Map.of(ModelFormat.TORCHSCRIPT, pt), List.of());
        assertThatThrownBy(() -> pytorch.load(otherWeights))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_MISSING))
                .hasMessageContaining("other weights")
                .hasMessageContaining("models prepare");
        Files.delete(TorchScriptSidecar.pathFor(pt));
        ModelSource noSidecar = new ModelSource(real.id(), real.sha256(), Map.of(ModelFormat.TORCHSCRIPT, pt), List.of());
        assertThatThrownBy(() -> pytorch.load(noSidecar))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_MISSING))
                .hasMessageContaining("sidecar");
    }

    @Test
    void outputNamesFromTheManifestNameTorchScriptOutputsPositionally() {
        ModelSource s = Fixtures.source(TestModel.ULFG);
        ModelSource named = new ModelSource(s.id(), s.sha256(), s.files(), List.of("scores", "boxes"));
        try (CompiledModel model = pytorch.load(named)) {
            assertThat(model.outputs().stream().map(t -> t.name()).toList()).containsExactly("scores", "boxes");
            Tensor x = Fixtures.input(TestModel.ULFG, Fixtures.photos(1).getFirst(), 240, 320);
            Map<String, Tensor> out = model.run(Map.of("input", x));
            assertThat(out.get("scores").shape()).containsExactly(1, 4420, 2);
            assertThat(out.get("boxes").shape()).containsExactly(1, 4420, 4);
        }
    }
}
