package dev.sameface.openvino;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.Denormals;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.FloatingPointMode;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.ModelFormat;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.openvino.binding.OpenVino;
import dev.sameface.openvino.binding.OvCompiledModel;
import dev.sameface.openvino.binding.OvCore;
import dev.sameface.openvino.binding.OvModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * OpenVINO on its CPU plugin: by default one inference thread, on the caller's own thread, in f32.
 *
 * <p>Engine properties ({@link EngineOptions#properties()}): {@code precision} = {@code f32} (default) or
 * {@code bf16} (faster on CPUs with AVX512_BF16/AMX, at an accuracy cost); {@code cacheDir} = a directory for
 * OpenVINO's compiled-model cache, so that a second start imports the compiled blob instead of compiling;
 * {@code openvino.<KEY>} = any raw OpenVINO CPU property, for experiments; {@code denormals} = {@code flush}
 * (default) or {@code keep}, as every engine (docs/floating-point.md). Other keys are left to other engines.
 */
public final class OpenVinoEngine implements InferenceEngine {
    static final String DEVICE = "CPU";
    private static final Set<String> PRECISIONS = Set.of("f32", "bf16");
    private static final String RAW_PREFIX = "openvino.";

    private final OpenVino ov;
    private final OvCore core;
    private final Map<String, String> compileProperties;
    private final Path cacheDir;
    private final String deviceName;
    private final String capabilities;
    private final Denormals denormals;
    private boolean closed;

    OpenVinoEngine(OpenVino ov, EngineOptions options) {
        this.ov = ov;
        this.denormals = Denormals.of(options);
        this.compileProperties = Collections.unmodifiableMap(compileProperties(options));
        String cache = options.property("cacheDir", "");
        this.cacheDir = cache.isBlank() ? null : Path.of(cache).toAbsolutePath();
        OpenDenormalsSetting.acquire(denormals);
        // Loading the CPU plugin runs native initialisation on this thread: under the engine's mode as well.
        try (var fp = FloatingPointMode.enter(denormals)) {
            this.core = ov.createCore();
            try {
                this.deviceName = core.property(DEVICE, "FULL_DEVICE_NAME");
                this.capabilities = core.property(DEVICE, "OPTIMIZATION_CAPABILITIES");
            } catch (RuntimeException e) {
                core.close();
                throw e;
            }
        } catch (RuntimeException e) {
            OpenDenormalsSetting.release();
            throw e;
        }
    }

    /**
     * The properties every model is compiled with, and why:
     * <ul>
     * <li>INFERENCE_NUM_THREADS caps the CPU plugin's TBB arena (its default is one thread per core).</li>
     * <li>NUM_STREAMS=0 when one thread is asked for: OpenVINO's streams executor then runs each inference on the
     * calling thread ({@code CPUStreamsExecutor::run} defers to the caller when it has no streams). With
     * NUM_STREAMS=1 the CPU plugin starts a stream thread that does the work while the caller waits, plus an idle
     * callback-executor thread: two more native threads per compiled model. With more threads it is 1 stream.</li>
     * <li>INFERENCE_PRECISION_HINT=f32: the CPU plugin defaults to bf16 on CPUs that have it, which drifts from the
     * other engines; bf16 is an explicit option.</li>
     * <li>ENABLE_CPU_PINNING=NO so that OpenVINO never changes the affinity of the caller's thread.</li>
     * <li>CPU_DENORMALS_OPTIMIZATION=YES for {@code denormals=flush}, NO for {@code keep}: OpenVINO sets FTZ/DAZ on
     * the compiling thread and its stream threads; unset, it keeps whatever mode that thread happened to have. On
     * the caller's thread the engine's {@link FloatingPointMode} scope sets it, and restores it afterwards.</li>
     * </ul>
     */
    static Map<String, String> compileProperties(EngineOptions options) {
        String precision = options.property("precision", "f32").toLowerCase(Locale.ROOT);
        if (!PRECISIONS.contains(precision)) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "OpenVINO precision '" + precision + "' is not one of " + PRECISIONS);
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("PERFORMANCE_HINT", "LATENCY");
        p.put("INFERENCE_NUM_THREADS", Integer.toString(options.intraOpThreads()));
        p.put("NUM_STREAMS", options.intraOpThreads() == 1 ? "0" : "1");
        p.put("INFERENCE_PRECISION_HINT", precision);
        p.put("ENABLE_CPU_PINNING", "NO");
        p.put("CPU_DENORMALS_OPTIMIZATION", Denormals.of(options) == Denormals.FLUSH ? "YES" : "NO");
        String cache = options.property("cacheDir", "");
        if (!cache.isBlank()) {
            p.put("CACHE_DIR", Path.of(cache).toAbsolutePath().toString());
        }
        for (var e : options.properties().entrySet()) {
            if (e.getKey().startsWith(RAW_PREFIX)) {
                p.put(e.getKey().substring(RAW_PREFIX.length()), e.getValue());
            }
        }
        return p;
    }

    @Override
    public String name() {
        return OpenVinoEngineProvider.NAME;
    }

    @Override
    public String description() {
        return "OpenVINO " + ov.version() + " " + DEVICE + " (" + deviceName + "), "
                + compileProperties.get("INFERENCE_NUM_THREADS") + " inference thread(s), "
                + ("0".equals(compileProperties.get("NUM_STREAMS")) ? "on the caller's thread" : compileProperties.get("NUM_STREAMS") + " stream")
                + ", precision " + precisionNote() + ", " + denormals.description()
                + (cacheDir == null ? "" : ", model cache " + cacheDir);
    }

    /** The precision asked for, and what OpenVINO will use when the CPU cannot do it (it falls back silently). */
    private String precisionNote() {
        String asked = compileProperties.get("INFERENCE_PRECISION_HINT");
        List<String> caps = List.of(capabilities.toUpperCase(Locale.ROOT).split("\\s+"));
        if (!asked.equals("f32") && !caps.contains(asked.toUpperCase(Locale.ROOT))) {
            return asked + " asked, f32 used (this CPU offers " + String.join(" ", caps) + ")";
        }
        return asked;
    }

    /** The properties models are compiled with (for reports and tests). */
    public Map<String, String> compileProperties() {
        return compileProperties;
    }

    @Override
    public List<ModelFormat> formats() {
        // IR first: it is OpenVINO's own form and loads without conversion when a model has one.
        return List.of(ModelFormat.OPENVINO_IR, ModelFormat.ONNX, ModelFormat.TFLITE);
    }

    @Override
    public CompiledModel load(ModelSource source) {
        ensureOpen();
        Map.Entry<ModelFormat, Path> picked = source.pick(name(), formats());
        Path file = picked.getValue().toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new FaceException(ErrorCode.MODEL_MISSING, "model " + source.id() + " file " + file
                    + " does not exist (run: ./sameface models fetch)");
        }
        OpenDenormalsSetting.acquire(denormals);
        try (var fp = FloatingPointMode.enter(denormals)) {
            OvCompiledModel compiled;
            if (cacheDir != null) {
                compiled = core.compileModelFromFile(file, DEVICE, compileProperties);
            } else {
                try (OvModel model = core.readModel(file, null)) {
                    compiled = core.compileModel(model, DEVICE, compileProperties);
                }
            }
            try {
                OnnxGraphNames names = graphNames(picked.getKey(), file);
                List<String> outputNames = source.outputNames().isEmpty() ? names.outputs() : source.outputNames();
                return new OpenVinoModel(ov, source.id(), compiled, names.inputs(), outputNames, denormals);
            } catch (RuntimeException e) {
                compiled.close();
                throw e;
            }
        } catch (RuntimeException e) {
            OpenDenormalsSetting.release();
            throw e;
        }
    }

    /**
     * The ONNX graph's own tensor names; other formats keep OpenVINO's names, and so does an ONNX file too large
     * for this reader to map (over 2 GB), which OpenVINO has read already.
     */
    private static OnnxGraphNames graphNames(ModelFormat format, Path file) {
        try {
            if (format != ModelFormat.ONNX || Files.size(file) > Integer.MAX_VALUE) {
                return new OnnxGraphNames(List.of(), List.of());
            }
            return OnnxGraphNames.read(file);
        } catch (java.io.IOException e) {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "cannot read the tensor names of " + file + ": " + e.getMessage(), e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("OpenVINO engine is closed");
        }
    }

    /** Frees the core. Models loaded from it stay usable: OpenVINO reference-counts the plugin they run on. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            core.close();
        } finally {
            OpenDenormalsSetting.release();
        }
    }
}
