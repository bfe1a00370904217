package dev.sameface.djl;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.SamefaceHome;
import dev.sameface.api.engine.EngineOptions;

import ai.djl.engine.Engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Configures DJL once per process, before any DJL class reads its settings. DJL reads most of them from system
 * properties when an engine is first created, so they must be in place before the first {@link Engine} call.
 */
final class DjlRuntime {
    static final String DJL_VERSION = "0.36.0";
    static final String LIBTORCH_VERSION = "2.7.1";

    private static boolean configured;

    private DjlRuntime() {
    }

    /**
     * Offline mode (libtorch comes from the pytorch-native-cpu jar; DJL must never try to download it), the cache
     * DJL extracts libtorch into (under sameface's runtimes folder unless the user set one), and the thread counts.
     * PyTorch's inter-op pool size can be set only once per process, so the first engine's options fix it.
     */
    static synchronized void configure(EngineOptions options) {
        if (configured) {
            return;
        }
        setIfAbsent("ai.djl.offline", "true");
        if (System.getenv("ENGINE_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            String dir = SamefaceHome.runtime("djl", DJL_VERSION).toString();
            setIfAbsent("ENGINE_CACHE_DIR", dir);
            setIfAbsent("DJL_CACHE_DIR", dir);
        }
        // at::set_num_threads also sets OpenMP's and MKL's thread counts inside libtorch, which is what
        // OMP_NUM_THREADS would do; environment variables cannot be changed from Java once the JVM runs.
        setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(options.intraOpThreads()));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", Integer.toString(options.interOpThreads()));
        // DJL's ONNX Runtime engine would otherwise load PyTorch as a helper for NDArray operations, with PyTorch's
        // default of one thread per core; sameface needs no NDArray operations, only the model run.
        setIfAbsent("ai.djl.onnx.disable_alternative", "true");
        // DJL's OnnxRuntime engine always creates ONNX Runtime's environment with global thread pools, sized one per
        // core unless these are set. Sessions here use their own pools, but the global ones are started anyway and
        // sessions made with DJL's disablePerSessionThreads run on them (DJL issue #3166, 3200% CPU).
        setIfAbsent("ai.djl.onnxruntime.num_threads", Integer.toString(options.intraOpThreads()));
        setIfAbsent("ai.djl.onnxruntime.num_interop_threads", Integer.toString(options.interOpThreads()));
        // DJL probes for CUDA through JNA, whose first use on Linux runs `/sbin/ldconfig -p` to learn library paths,
        // leaving the JDK's "process reaper" thread behind. These engines are CPU-only (pytorch-native-cpu), so the
        // standard paths suffice and no process is started.
        setIfAbsent("jna.platform.library.path", "/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:/usr/lib64:/lib64:/usr/lib:/lib");
        configured = true;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Why each DJL engine failed to start, kept because DJL caches a failed engine as a broken class. */
    private static final Map<String, String> FAILURES = new ConcurrentHashMap<>();

    /** The named DJL engine, or ENGINE_UNAVAILABLE with DJL's reason. */
    static Engine engine(String djlName, String samefaceName) {
        String failed = FAILURES.get(djlName);
        if (failed != null) {
            throw new FaceException(ErrorCode.ENGINE_UNAVAILABLE, "engine " + samefaceName + " is unavailable: " + failed);
        }
        try {
            return Engine.getEngine(djlName);
        } catch (RuntimeException | LinkageError e) {
            String why = NdArrays.rootMessage(e);
            if (why.contains("OrtEnvironment") && why.contains("already exists")) {
                // DJL's OnnxRuntime engine always creates ONNX Runtime's process-wide environment itself (with
                // global thread pool options), and ONNX Runtime refuses that once any other code has created it.
                why = "another engine (onnxruntime) started ONNX Runtime in this process first, and DJL's OnnxRuntime "
                        + "engine must create ONNX Runtime's environment itself; create " + samefaceName
                        + " before onnxruntime in one process, or use it in a process of its own";
            } else {
                why = "DJL's " + djlName + " engine failed to start: " + why;
            }
            FAILURES.putIfAbsent(djlName, why);
            throw new FaceException(ErrorCode.ENGINE_UNAVAILABLE, "engine " + samefaceName + " is unavailable: " + why, e);
        }
    }

    /** Whether this JVM can run the native libraries shipped in the jars on the class path. */
    static String platformProblem() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "the bundled native libraries are for linux-x86_64, this is " + os + "/" + arch;
        }
        return null;
    }
}
