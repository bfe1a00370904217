package dev.sameface.onnx;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.SamefaceHome;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.InferenceEngineProvider;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.api.engine.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine contract on the real embedder model; pipeline-level behaviour is tested in the pipeline module. */
class OnnxRuntimeEngineTest {
    @TempDir
    Path dir;

    private static ModelSource embedder() {
        Path p = SamefaceHome.models().resolve("fr-feature-512").resolve("fr-feature-512.onnx");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("model fr-feature-512 not in " + p + "; run ./sameface models fetch");
        }
        return ModelSource.onnx("fr-feature-512", "87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581", p);
    }

    private static InferenceEngine engine() {
        for (InferenceEngineProvider p : ServiceLoader.load(InferenceEngineProvider.class)) {
            if (p.name().equals("onnxruntime")) {
                assertThat(p.isAvailable()).isTrue();
                return p.create(EngineOptions.singleThreaded());
            }
        }
        throw new AssertionError("onnxruntime is not registered in META-INF/services");
    }

    @Test
    void runsTheEmbedderAndDescribesItsThreads() {
        try (InferenceEngine e = engine(); CompiledModel m = e.load(embedder())) {
            assertThat(e.description()).contains("ONNX Runtime").contains("1 intra-op / 1 inter-op");
            assertThat(m.inputs()).singleElement().satisfies(t -> assertThat(t.shape()).containsExactly(1, 3, 112, 112));
            float[] grey = new float[3 * 112 * 112];
            Map<String, Tensor> out = m.run(Map.of("input", Tensor.of(grey, 1, 3, 112, 112)));
            assertThat(out.get("output").shape()).containsExactly(1, 512);
            // Deterministic: the same input twice gives the same output bit for bit on one thread.
            float[] again = m.run(Map.of("input", Tensor.of(grey, 1, 3, 112, 112))).get("output").toArray();
            assertThat(again).containsExactly(out.get("output").toArray());
        }
    }

    @Test
    void wrongInputIsATypedError() {
        try (InferenceEngine e = engine(); CompiledModel m = e.load(embedder())) {
            assertThatThrownBy(() -> m.run(Map.of("input", Tensor.allocate(1, 3, 64, 64))))
                    .isInstanceOf(FaceException.class).hasMessageContaining("fr-feature-512");
            assertThatThrownBy(() -> m.run(Map.of("pixels", Tensor.allocate(1, 3, 112, 112))))
                    .isInstanceOf(FaceException.class);
        }
    }

    @Test
    void corruptModelFileIsATypedError() throws IOException {
        Path bad = dir.resolve("bad.onnx");
        Files.writeString(bad, "this is not a protobuf");
        try (InferenceEngine e = engine()) {
            assertThatThrownBy(() -> e.load(ModelSource.onnx("bad", "0", bad)))
                    .isInstanceOfSatisfying(FaceException.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.MODEL_INCOMPATIBLE))
                    .hasMessageContaining("bad.onnx");
        }
    }

    @Test
    void useAfterCloseThrowsAndDoubleCloseIsHarmless() {
        InferenceEngine e = engine();
        CompiledModel m = e.load(embedder());
        m.close();
        m.close();
        assertThatThrownBy(() -> m.run(Map.of("input", Tensor.allocate(1, 3, 112, 112)))).isInstanceOf(IllegalStateException.class);
        e.close();
        e.close();
        assertThatThrownBy(() -> e.load(embedder())).isInstanceOf(IllegalStateException.class);
    }
}
