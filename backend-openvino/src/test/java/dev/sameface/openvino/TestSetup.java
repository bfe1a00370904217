package dev.sameface.openvino;

import dev.sameface.api.SamefaceHome;
import dev.sameface.api.engine.Availability;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.onnx.OnnxRuntimeEngineProvider;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** Real prerequisites of these tests; a missing one fails with how to get it. */
final class TestSetup {
    private TestSetup() {
    }

    static Path shared() {
        String s = System.getProperty("sameface.shared");
        if (s == null || s.isBlank()) {
            fail("system property sameface.shared is not set: run the tests with Maven from the reactor root, whose pom passes it");
        }
        Path p = Path.of(s);
        if (!Files.isDirectory(p)) {
            fail("shared data directory " + p + " does not exist (it holds LFW and the YuNet model)");
        }
        return p;
    }

    /** A model from the sameface cache ({@code models/<id>/<id>.onnx}). */
    static ModelSource cachedModel(String id) {
        Path f = SamefaceHome.models().resolve(id).resolve(id + ".onnx");
        if (!Files.isRegularFile(f)) {
            fail("model " + id + " is not in the cache at " + f + "; run: ./sameface models fetch");
        }
        return ModelSource.onnx(id, "", f);
    }

    static ModelSource yunet() {
        Path f = shared().resolve("models/yunet_n_dynamic.onnx");
        if (!Files.isRegularFile(f)) {
            fail("YuNet model not found at " + f);
        }
        return ModelSource.onnx("yunet_n_dynamic", "", f);
    }

    static InferenceEngine openVino(EngineOptions options) {
        OpenVinoEngineProvider provider = new OpenVinoEngineProvider();
        Availability a = provider.availability();
        if (!a.available()) {
            fail("OpenVINO runtime unavailable: " + a.reason());
        }
        return provider.create(options);
    }

    static InferenceEngine onnxRuntime() {
        OnnxRuntimeEngineProvider provider = new OnnxRuntimeEngineProvider();
        Availability a = provider.availability();
        if (!a.available()) {
            fail("ONNX Runtime unavailable: " + a.reason());
        }
        return provider.create(EngineOptions.singleThreaded());
    }
}
