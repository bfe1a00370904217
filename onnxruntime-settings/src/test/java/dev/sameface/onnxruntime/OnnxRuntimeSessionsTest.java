package dev.sameface.onnxruntime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.sameface.api.SamefaceHome;
import dev.sameface.api.engine.Denormals;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.TensorInfo;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared session settings open the real embedder, and its metadata reads as both ONNX Runtime engines report it. */
class OnnxRuntimeSessionsTest {
    private static Path embedder() {
        Path p = SamefaceHome.models().resolve("fr-feature-512").resolve("fr-feature-512.onnx");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("model fr-feature-512 not in " + p + "; run ./sameface models fetch");
        }
        return p;
    }

    @Test
    void sessionOptionsOpenTheEmbedderAndItsMetadataKeepsNamesAndShapes() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = OnnxRuntimeSessions.options(new EngineOptions(1, 1, Map.of()), Denormals.FLUSH);
             OrtSession session = env.createSession(embedder().toString(), so)) {
            assertThat(OnnxRuntimeSessions.describe(session.getInputInfo())).singleElement().satisfies(t -> {
                assertThat(t.name()).isEqualTo("input");
                assertThat(t.shape()).containsExactly(1, 3, 112, 112);
            });
            assertThat(OnnxRuntimeSessions.describe(session.getOutputInfo())).extracting(TensorInfo::name).containsExactly("output");
        }
    }

    @Test
    void settingsNameThreadsModeAndDenormals() {
        assertThat(OnnxRuntimeSessions.settings(new EngineOptions(2, 1, Map.of()), Denormals.KEEP))
                .startsWith("2 intra-op / 1 inter-op thread(s), sequential, ").contains("denormals kept");
        assertThat(OnnxRuntimeSessions.settings(EngineOptions.singleThreaded(), Denormals.FLUSH)).contains("denormals flushed");
    }
}
