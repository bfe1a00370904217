package dev.sameface.pipeline;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.InferenceEngineProvider;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.ModelFormat;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.config.Precision;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.registry.CpuFeatures;
import dev.sameface.pipeline.registry.EngineRegistry;
import dev.sameface.pipeline.registry.MeasuredEngines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The engines one pipeline uses, created on first use and shared by the stages that name the same engine. */
final class Engines {
    private static final Logger LOG = LoggerFactory.getLogger(Engines.class);
    private final EngineRegistry registry;
    private final EngineOptions options;
    private final Resources resources;
    private final Map<String, InferenceEngine> live = new LinkedHashMap<>();
    /** Per stage, what {@code auto} resolved to and why. */
    private final Map<String, MeasuredEngines.Choice> autoChoices = new LinkedHashMap<>();
    /** Per stage, the precision its models run in and why. */
    private final Map<String, PrecisionChoice> precisions = new LinkedHashMap<>();
    /** Per stage, the models it loaded ({@code <stage>/<id>}) and the SHA-256 of the weights run. */
    private final Map<String, String> loadedModels = new java.util.TreeMap<>();
    /** Per stage, its plugin, model and resolved options ({@code plugin}, {@code model}, {@code option.<name>}). */
    private final Map<String, Map<String, String>> stageFacts = new java.util.TreeMap<>();
    /** Per stage, the engine its models run on. */
    private final Map<String, InferenceEngine> stageEngines = new java.util.TreeMap<>();
    private final String denormals;
    private MeasuredEngines measured;

    /** The precision a stage runs in, and why ({@code describe()} prints it). */
    record PrecisionChoice(Precision precision, String reason) {
    }

    Engines(EngineRegistry registry, PipelineConfig config, Resources resources) {
        this.registry = registry;
        this.options = new EngineOptions(config.threads(), config.threads(), config.engineOptions());
        this.resources = resources;
        this.denormals = dev.sameface.api.engine.Denormals.of(options).value();
    }

    /**
     * The engine provider for a stage: the named one, or for {@code auto} the fastest measured for the stage's main
     * model (a detector that also runs a landmark model keeps both on its detector model's engine).
     */
    private InferenceEngineProvider provider(String name, String stage, String mainModel) {
        if (!EngineRegistry.AUTO.equals(name)) {
            return registry.get(name);
        }
        MeasuredEngines.Choice choice = autoChoices.computeIfAbsent(stage, s -> {
            MeasuredEngines.Choice c = measured().choose(registry, mainModel);
            LOG.info("{}: engine auto -> {} ({})", s, c.provider().name(), c.reason());
            return c;
        });
        return choice.provider();
    }

    private MeasuredEngines measured() {
        if (measured == null) {
            measured = MeasuredEngines.read(MeasuredEngines.standardFile());
        }
        return measured;
    }

    /**
     * Loads one of a stage's models on the stage's engine in the precision the configuration asks for: f32 from the
     * manifest's file; int8 from its gated quantised copy, on an engine that runs ONNX; bf16 on OpenVINO when the
     * CPU reports bf16 arithmetic; auto as measured by bench-models for the stage's main model, else f32. A
     * precision that cannot run here is a CONFIG_ERROR saying why, never a silent f32.
     */
    synchronized CompiledModel load(String name, String stage, String mainModel, String modelId, Precision asked, ModelCache cache) {
        InferenceEngineProvider provider = provider(name, stage, mainModel);
        PrecisionChoice choice = precisions.get(stage);
        if (choice == null) {
            choice = asked == Precision.AUTO ? autoPrecision(provider, mainModel, cache) : new PrecisionChoice(asked, "configured");
            check(choice.precision(), provider.name(), stage);
            precisions.put(stage, choice);
            if (choice.precision() != Precision.F32) {
                LOG.info("{}: precision {} ({})", stage, choice.precision(), choice.reason());
            }
        }
        InferenceEngine engine = choice.precision() == Precision.BF16 ? createBf16(provider) : create(provider);
        ModelSource source;
        stageEngines.putIfAbsent(stage, engine);
        if (choice.precision() == Precision.INT8) {
            if (!engine.formats().contains(ModelFormat.ONNX)) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, stage + ": engine " + provider.name() + " cannot run int8: it loads "
                        + engine.formats() + " made from the f32 model, and the int8 copy is a quantised ONNX model; run int8 on "
                        + "onnxruntime, openvino or djl-onnxruntime, or this stage in f32");
            }
            String task = cache.manifest().model(modelId).task();
            if (!"embedder".equals(task)) {
                // Pointing at "models prepare --precision int8" here would send the user to a command that refuses it.
                throw new FaceException(ErrorCode.CONFIG_ERROR, stage + ": model " + modelId + " is a " + task + "; int8 copies are "
                        + "made for embedders only (calibrated on aligned face crops); run this stage in f32");
            }
            source = cache.int8Source(modelId);
            loadedModels.put(stage + "/" + modelId, "int8:" + cache.int8Sidecar(modelId).sha256());
        } else {
            source = cache.source(modelId);
            loadedModels.put(stage + "/" + modelId, source.sha256());
        }
        return engine.load(source);
    }

    /** bf16 runs only on OpenVINO and only where the CPU has bf16 arithmetic (OpenVINO would silently run f32). */
    private static void check(Precision p, String engine, String stage) {
        if (p != Precision.BF16) {
            return;
        }
        if (!"openvino".equals(engine)) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, stage + ": precision bf16 runs only on the openvino engine (its CPU plugin "
                    + "has bf16 kernels); this stage runs on " + engine);
        }
        CpuFeatures cpu = CpuFeatures.current();
        if (!cpu.hasBf16()) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, stage + ": precision bf16 needs a CPU that reports avx512_bf16 or amx_bf16 in "
                    + "/proc/cpuinfo; this one (" + cpu.model() + ") reports " + cpu.precisionFlags() + ", where OpenVINO would run f32; use f32 or int8");
        }
    }

    /** The fastest precision bench-models recorded for this engine and model, if it can still run here; else f32. */
    private PrecisionChoice autoPrecision(InferenceEngineProvider provider, String mainModel, ModelCache cache) {
        var m = measured().measurement(mainModel);
        String recorded = m.map(x -> x.precisions().get(provider.name())).orElse(null);
        if (recorded == null) {
            return new PrecisionChoice(Precision.F32, "auto: no precision measured for " + mainModel + " on " + provider.name()
                    + " (sameface bench-models --precisions f32,int8,bf16)");
        }
        Precision p;
        try {
            p = Precision.parse(recorded);
            check(p, provider.name(), "auto");
            if (p == Precision.INT8) {
                cache.int8Source(mainModel);
            }
        } catch (FaceException e) {
            return new PrecisionChoice(Precision.F32, "auto: measured fastest " + recorded + " cannot run now: " + e.getMessage());
        }
        return new PrecisionChoice(p, "auto: fastest passing precision measured for " + mainModel + " on " + provider.name()
                + " on " + m.get().measured() + " " + m.get().precisionMedianMs().getOrDefault(provider.name(), Map.of()) + " ms");
    }

    private InferenceEngine create(InferenceEngineProvider provider) {
        return live.computeIfAbsent(provider.name(), n -> resources.register(provider.create(options)));
    }

    /** A second OpenVINO engine compiled for bf16: an engine's precision is fixed at creation, stages may differ. */
    private InferenceEngine createBf16(InferenceEngineProvider provider) {
        return live.computeIfAbsent(provider.name() + "[bf16]",
                n -> resources.register(provider.create(options.withProperties(Map.of("precision", Precision.BF16.id())))));
    }

    /**
     * The pipeline's identity from what was resolved: models and their weights, each model stage's engine (name,
     * version and settings as it describes itself, never the measurement that chose it) and precision.
     */
    /** Records a stage as its plugin resolved it: what {@link #identity} names besides the models and engines. */
    synchronized void stage(String stage, String plugin, String modelId, Map<String, String> resolvedOptions) {
        Map<String, String> facts = new java.util.TreeMap<>();
        facts.put("plugin", plugin);
        if (modelId != null) {
            facts.put("model", modelId);
        }
        resolvedOptions.forEach((k, v) -> facts.put("option." + k, v));
        stageFacts.put(stage, facts);
    }

    synchronized PipelineIdentity identity(PipelineConfig config) {
        Map<String, String> engineByStage = new java.util.TreeMap<>();
        stageEngines.forEach((stage, e) -> engineByStage.put(stage, e.name() + " | " + e.description()));
        Map<String, String> precisionByStage = new java.util.TreeMap<>();
        precisions.forEach((stage, p) -> precisionByStage.put(stage, p.precision().id()));
        return PipelineIdentity.of(config, stageFacts, loadedModels, engineByStage, precisionByStage, denormals);
    }

    /** The precision a stage's models run in (f32 for a stage that loaded none). */
    synchronized PrecisionChoice precision(String stage) {
        return precisions.getOrDefault(stage, new PrecisionChoice(Precision.F32, "no model"));
    }

    /** The engine a stage runs on: what {@code auto} resolved to for it, else the name it was configured with. */
    synchronized String resolved(String stage, String configured) {
        MeasuredEngines.Choice c = autoChoices.get(stage);
        return c != null ? c.provider().name() : configured;
    }

    /** Per live engine its description, preceded by the stages that {@code auto} put on it and why. */
    synchronized Map<String, String> descriptions() {
        Map<String, String> d = new LinkedHashMap<>();
        live.forEach((k, v) -> {
            List<String> notes = new ArrayList<>();
            autoChoices.forEach((stage, c) -> {
                if (c.provider().name().equals(k)) {
                    notes.add(stage + ": auto -> " + k + " (" + c.reason() + ")");
                }
            });
            d.put(k, (notes.isEmpty() ? "" : String.join(", ", notes) + ": ") + v.description());
        });
        return d;
    }
}
