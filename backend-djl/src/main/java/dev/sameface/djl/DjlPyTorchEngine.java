package dev.sameface.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.Denormals;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.FloatingPointMode;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.ModelFormat;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.torchscript.TorchScriptSidecar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * TorchScript on libtorch through DJL. libtorch's thread settings are process-wide: the intra-op count (which also
 * sets OpenMP's and MKL's) follows the latest engine created; the inter-op pool size is fixed by the first.
 *
 * <p>Engine property {@code graph-optimizer} (default {@code false}): TorchScript's profiling graph executor. It
 * spends the first runs of each model profiling and re-optimising, which a command that runs each model once or
 * twice only pays for; see docs/engine-djl.md for the measurement.
 *
 * <p>Engine property {@code denormals} ({@code flush} default, {@code keep}): DJL exposes no flush-denormal call, and
 * libtorch's own ({@code torch.set_flush_denormal}) only sets the calling thread's MXCSR, so the
 * {@link FloatingPointMode} scope around every load and run is what makes it hold (docs/floating-point.md).
 */
public final class DjlPyTorchEngine implements InferenceEngine {
    private final EngineOptions options;
    private final Engine engine;
    private final boolean graphOptimizer;
    private final Denormals denormals;
    private boolean closed;

    DjlPyTorchEngine(EngineOptions options) {
        String problem = DjlRuntime.platformProblem();
        if (problem != null) {
            throw new FaceException(ErrorCode.ENGINE_UNAVAILABLE, DjlPyTorchEngineProvider.NAME + ": " + problem);
        }
        this.options = options;
        this.denormals = Denormals.of(options);
        DjlRuntime.configure(options);
        try (var fp = FloatingPointMode.enter(denormals)) {
            this.engine = DjlRuntime.engine("PyTorch", DjlPyTorchEngineProvider.NAME);
            if (JniUtils.getNumThreads() != options.intraOpThreads()) {
                JniUtils.setNumThreads(options.intraOpThreads());
            }
        }
        this.graphOptimizer = Boolean.parseBoolean(options.property("graph-optimizer", "false"));
    }

    @Override
    public String name() {
        return DjlPyTorchEngineProvider.NAME;
    }

    @Override
    public String description() {
        return "DJL " + DjlRuntime.DJL_VERSION + " PyTorch " + engine.getVersion() + " CPU (libtorch from pytorch-native-cpu), "
                + JniUtils.getNumThreads() + " intra-op / " + JniUtils.getNumInteropThreads() + " inter-op thread(s), graph optimizer "
                + (graphOptimizer ? "on" : "off") + ", " + denormals.description();
    }

    @Override
    public List<ModelFormat> formats() {
        return List.of(ModelFormat.TORCHSCRIPT);
    }

    @Override
    public CompiledModel load(ModelSource source) {
        ensureOpen();
        Path pt = source.pick(name(), formats()).getValue();
        if (!Files.isRegularFile(pt)) {
            throw new FaceException(ErrorCode.MODEL_MISSING, "TorchScript export of model " + source.id() + " not found at " + pt
                    + "; run: " + TorchScriptSidecar.PREPARE);
        }
        TorchScriptSidecar meta = TorchScriptSidecar.read(TorchScriptSidecar.pathFor(pt), source.id());
        if (source.sha256() != null && !source.sha256().equalsIgnoreCase(meta.sourceSha256())) {
            throw new FaceException(ErrorCode.MODEL_MISSING, "TorchScript export " + pt + " was made from other weights (sha256 "
                    + meta.sourceSha256() + ", model " + source.id() + " is " + source.sha256() + "); run: " + TorchScriptSidecar.PREPARE);
        }
        Model model = Model.newInstance(source.id(), Device.cpu(), engine.getEngineName());
        try (var fp = FloatingPointMode.enter(denormals)) {
            model.load(pt);
            return new DjlPyTorchModel(source.id(), model, meta.inputs(), meta.outputsNamed(source.outputNames()), graphOptimizer,
                    denormals);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "libtorch cannot load " + pt + ": " + NdArrays.rootMessage(e), e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("engine " + name() + " is closed");
        }
    }

    /** libtorch stays loaded for the life of the process (a native library cannot be unloaded from the JVM). */
    @Override
    public void close() {
        closed = true;
    }

    EngineOptions options() {
        return options;
    }
}
