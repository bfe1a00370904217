package dev.sameface.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.onnxruntime.engine.OrtNDManager;
import ai.djl.onnxruntime.engine.OrtSymbolBlock;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * ONNX Runtime through DJL's OnnxRuntime engine. Sessions get the options DJL's keys {@code intraOpNumThreads},
 * {@code interOpNumThreads} and {@code executionMode} would set (the thread counts of {@link EngineOptions},
 * sequential), never {@code disablePerSessionThreads}, and no spinning.
 *
 * <p>The session is built as DJL's {@code OrtModel.load} builds it ({@code createSession} then {@code
 * OrtSymbolBlock}), because OrtModel keeps the session private and sameface needs its input and output metadata.
 * Every run goes through DJL: NDManager, OrtNDArray, OrtSymbolBlock.forward, NDList. Loads and runs happen under the
 * engine's {@link Denormals} setting, as in engine onnxruntime (docs/floating-point.md).
 */
public final class DjlOnnxRuntimeEngine implements InferenceEngine {
    private final EngineOptions options;
    private final Engine engine;
    private final Denormals denormals;
    private boolean closed;

    DjlOnnxRuntimeEngine(EngineOptions options) {
        String problem = DjlRuntime.platformProblem();
        if (problem != null) {
            throw new FaceException(ErrorCode.ENGINE_UNAVAILABLE, DjlOnnxRuntimeEngineProvider.NAME + ": " + problem);
        }
        this.options = options;
        this.denormals = Denormals.of(options);
        DjlRuntime.configure(options);
        try (var fp = FloatingPointMode.enter(denormals)) {
            this.engine = DjlRuntime.engine("OnnxRuntime", DjlOnnxRuntimeEngineProvider.NAME);
        }
    }

    @Override
    public String name() {
        return DjlOnnxRuntimeEngineProvider.NAME;
    }

    @Override
    public String description() {
        return "DJL " + DjlRuntime.DJL_VERSION + " OnnxRuntime engine, ONNX Runtime " + OrtEnvironment.getEnvironment().getVersion()
                + " CPU, " + OnnxRuntimeSessions.settings(options, denormals);
    }

    @Override
    public List<ModelFormat> formats() {
        return List.of(ModelFormat.ONNX);
    }

    @Override
    public CompiledModel load(ModelSource source) {
        if (closed) {
            throw new IllegalStateException("engine " + name() + " is closed");
        }
        Path file = source.pick(name(), formats()).getValue();
        if (!Files.isRegularFile(file)) {
            throw new FaceException(ErrorCode.MODEL_MISSING, "model " + source.id() + " not found at " + file + "; run: ./sameface models fetch");
        }
        NDManager manager = engine.newBaseManager(Device.cpu());
        // The same session settings as engine onnxruntime: the engines differ only by DJL's layer.
        try (var fp = FloatingPointMode.enter(denormals); OrtSession.SessionOptions so = OnnxRuntimeSessions.options(options, denormals)) {
            OrtSession session = OrtEnvironment.getEnvironment().createSession(file.toString(), so);
            // The block attaches itself to the manager: closing the manager closes the session.
            OrtSymbolBlock block = new OrtSymbolBlock(session, (OrtNDManager) manager);
            return new DjlOnnxRuntimeModel(source.id(), manager, block, session, denormals);
        } catch (OrtException | RuntimeException e) {
            manager.close();
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "DJL's ONNX Runtime cannot load model " + source.id() + " from "
                    + file + ": " + NdArrays.rootMessage(e), e);
        }
    }

    /** The process-wide OrtEnvironment belongs to ONNX Runtime's Java binding and is never closed here. */
    @Override
    public void close() {
        closed = true;
    }
}
