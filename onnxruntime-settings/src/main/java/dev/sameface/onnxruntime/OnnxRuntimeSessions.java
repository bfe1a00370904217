package dev.sameface.onnxruntime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sameface.api.engine.Denormals;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.TensorInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place that says how sameface runs an ONNX Runtime session, for both engines that run it (onnxruntime
 * directly, djl-onnxruntime through DJL): the same settings give the same numbers and the same CPU behaviour, so
 * the engines differ only by the layer around the session.
 */
public final class OnnxRuntimeSessions {
    private OnnxRuntimeSessions() {
    }

    /**
     * Session options: the thread counts of {@code options}, sequential execution, all graph optimisations, no
     * spinning, and the engine's denormals setting on ONNX Runtime's own worker threads. The caller closes them.
     */
    public static OrtSession.SessionOptions options(EngineOptions options, Denormals denormals) throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            so.setIntraOpNumThreads(options.intraOpThreads());
            so.setInterOpNumThreads(options.interOpThreads());
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // Without this the single worker spins after each run, which shows as 100% CPU between calls.
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
            so.addConfigEntry("session.inter_op.allow_spinning", "0");
            // ORT applies this to the session's own worker threads; the caller's thread is FloatingPointMode's job
            // (ORT itself sets it on the thread that creates the process's first session only, and never restores it).
            so.addConfigEntry("session.set_denormal_as_zero", denormals == Denormals.FLUSH ? "1" : "0");
            return so;
        } catch (OrtException | RuntimeException e) {
            so.close();
            throw e;
        }
    }

    /** What {@link #options} sets, for an engine's {@code description()}: threads, execution mode, denormals. */
    public static String settings(EngineOptions options, Denormals denormals) {
        return options.intraOpThreads() + " intra-op / " + options.interOpThreads() + " inter-op thread(s), sequential, "
                + denormals.description();
    }

    /** A session's inputs or outputs as sameface's tensor infos, in the session's order (shape empty for non-tensors). */
    public static List<TensorInfo> describe(Map<String, NodeInfo> nodes) {
        List<TensorInfo> out = new ArrayList<>();
        for (NodeInfo n : nodes.values()) {
            long[] shape = n.getInfo() instanceof ai.onnxruntime.TensorInfo t ? t.getShape() : new long[0];
            out.add(new TensorInfo(n.getName(), shape));
        }
        return List.copyOf(out);
    }
}
