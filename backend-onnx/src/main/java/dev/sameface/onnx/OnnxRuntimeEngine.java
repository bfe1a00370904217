package dev.sameface.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.Denormals;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.FloatingPointMode;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.ModelFormat;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.onnxruntime.OnnxRuntimeSessions;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * ONNX Runtime on the CPU execution provider. Sessions are created with the thread counts of {@link EngineOptions}
 * (1 and 1 by default), sequential execution, and spinning disabled so an idle session does not burn a core.
 * Loads and runs happen under the engine's {@link Denormals} setting, restoring the caller's floating-point mode.
 */
public final class OnnxRuntimeEngine implements InferenceEngine {
    private final OrtEnvironment env;
    private final EngineOptions options;
    private final Denormals denormals;
    private final AtomicBoolean closed = new AtomicBoolean();

    OnnxRuntimeEngine(EngineOptions options) {
        this.options = options;
        this.denormals = Denormals.of(options);
        try (var fp = FloatingPointMode.enter(denormals)) {
            this.env = environment();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new FaceException(ErrorCode.ENGINE_UNAVAILABLE, "ONNX Runtime failed to start: " + e.getMessage(), e);
        }
    }

    /**
     * The process-wide environment, always asked for with the same name and level (ORT warns otherwise). Its
     * global thread pool is never used: sessions get their own pools of the configured size. Asked for once per
     * engine and handed to its models: when DJL's OnnxRuntime engine created the environment under another name,
     * ONNX Runtime's binding warns on every such call.
     */
    static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "sameface");
    }

    @Override
    public String name() {
        return OnnxRuntimeEngineProvider.NAME;
    }

    @Override
    public String description() {
        return "ONNX Runtime " + env.getVersion() + " CPU, " + OnnxRuntimeSessions.settings(options, denormals);
    }

    @Override
    public List<ModelFormat> formats() {
        return List.of(ModelFormat.ONNX);
    }

    @Override
    public CompiledModel load(ModelSource source) {
        ensureOpen();
        Path file = source.pick(name(), formats()).getValue();
        try (var fp = FloatingPointMode.enter(denormals); OrtSession.SessionOptions so = OnnxRuntimeSessions.options(options, denormals)) {
            OrtSession session = env.createSession(file.toString(), so);
            return new OnnxRuntimeModel(source.id(), env, session, denormals);
        } catch (OrtException e) {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE,
                    "ONNX Runtime cannot load model " + source.id() + " from " + file + ": " + e.getMessage(), e);
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("ONNX Runtime engine is closed");
        }
    }

    @Override
    public void close() {
        // The OrtEnvironment is a process-wide singleton shared by every engine instance; it is not closed here.
        closed.set(true);
    }
}
