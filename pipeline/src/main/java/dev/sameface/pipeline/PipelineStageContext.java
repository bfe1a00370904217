package dev.sameface.pipeline;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.StageContext;
import dev.sameface.api.StageOptions;
import dev.sameface.api.StageProvider;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.pipeline.config.Precision;
import dev.sameface.pipeline.config.StageConfig;
import dev.sameface.pipeline.models.ModelCache;

/** What a stage provider sees: its options, and models loaded on the engine configured for this stage. */
final class PipelineStageContext implements StageContext {
    private final String stage;
    private final StageConfig config;
    private final StageOptions options;
    private final String engineName;
    private final Engines engines;
    private final ModelCache cache;
    private final Resources resources;
    private final String modelId;
    private final Precision precision;

    PipelineStageContext(String stage, StageConfig config, StageProvider<?> provider, String engineName, Precision precision,
                         Engines engines, ModelCache cache, Resources resources) {
        this.stage = stage;
        this.precision = precision;
        this.config = config;
        this.options = StageOptions.of(StageSettingsCheck.label(stage, provider), provider.optionSpecs(), config.options());
        this.engineName = engineName;
        this.engines = engines;
        this.cache = cache;
        this.resources = resources;
        this.modelId = config.model() != null && !config.model().isBlank() ? config.model() : provider.defaultModel();
        if (provider.needsModel() && modelId == null) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, stage + " plugin '" + provider.name() + "' needs a 'model'; known models: "
                    + String.join(", ", new java.util.TreeSet<>(cache.manifest().models().keySet())));
        }
        engines.stage(stage, provider.name(), modelId, options.asMap());
    }

    @Override
    public String stage() {
        return stage;
    }

    @Override
    public StageOptions options() {
        return options;
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public ModelSpec modelSpec(String modelId) {
        return cache.manifest().model(modelId).spec(modelId);
    }

    @Override
    public String modelSha256(String modelId) {
        return cache.manifest().model(modelId).sha256();
    }

    @Override
    public CompiledModel loadModel(String modelId) {
        if (cache.manifest().model(modelId).isUntrained()) {
            // Its scores would look like any other model's and mean nothing: no decision may rest on it.
            throw new FaceException(ErrorCode.CONFIG_ERROR, "model " + modelId + " has untrained (seeded random) weights and is for "
                    + "speed measurement only (sameface bench-models); the " + stage + " of a pipeline that decides refuses it");
        }
        // With engine auto, the stage's main model decides the engine for every model the stage loads.
        String main = this.modelId != null ? this.modelId : modelId;
        return resources.register(engines.load(engineName, stage, main, modelId, precision, cache));
    }
}
