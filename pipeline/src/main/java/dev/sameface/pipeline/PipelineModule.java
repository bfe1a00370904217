package dev.sameface.pipeline;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.sameface.api.Aligner;
import dev.sameface.api.Detector;
import dev.sameface.api.Embedder;
import dev.sameface.api.Matcher;
import dev.sameface.api.StageProvider;
import dev.sameface.api.TemplateProtection;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.config.StageConfig;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.registry.EngineRegistry;
import dev.sameface.pipeline.registry.StageRegistry;

/**
 * Wires a pipeline from a {@link PipelineConfig}: each stage is the plugin the configuration names, found in the
 * {@link StageRegistry}, on the engine it names, found in the {@link EngineRegistry}. Nothing here names a
 * concrete plugin or engine class.
 */
public final class PipelineModule extends AbstractModule {
    private final PipelineConfig config;
    private final ModelCache cache;
    private final EngineRegistry engines;
    private final StageRegistry stages;
    private final TemplateProtection protection;

    public PipelineModule(PipelineConfig config, ModelCache cache, EngineRegistry engines, StageRegistry stages) {
        // Every stage's settings, before Guice creates anything: a wrong value fails here, not after loading models.
        StageSettingsCheck.check(config, stages);
        // The template key too: a missing or world-readable key file fails before any model loads.
        this.protection = Pipelines.protection(config);
        // The configuration as it will run: a stage without a model gets its plugin's default model, so that
        // describe(), fingerprints and reports name the model actually used.
        this.config = config
                .withDetector(withDefaultModel(config.detector(), stages.detector(config.detector().plugin())))
                .withEmbedder(withDefaultModel(config.embedder(), stages.embedder(config.embedder().plugin())));
        this.cache = cache;
        this.engines = engines;
        this.stages = stages;
    }

    private static StageConfig withDefaultModel(StageConfig sc, StageProvider<?> provider) {
        if (sc.model() != null && !sc.model().isBlank() || provider.defaultModel() == null) {
            return sc;
        }
        return new StageConfig(sc.plugin(), provider.defaultModel(), sc.engine(), sc.options(), sc.precision());
    }

    @Override
    protected void configure() {
        bind(PipelineConfig.class).toInstance(config);
        bind(ModelCache.class).toInstance(cache);
        bind(EngineRegistry.class).toInstance(engines);
        bind(StageRegistry.class).toInstance(stages);
        bind(TemplateProtection.class).toInstance(protection);
        bind(Resources.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    Engines engines(Resources resources) {
        return new Engines(engines, config, resources);
    }

    private <S> S create(String stage, StageConfig sc, StageProvider<S> provider, Engines live, Resources resources) {
        PipelineStageContext ctx = new PipelineStageContext(stage, sc, provider, config.engineFor(sc), config.precisionFor(sc), live, cache, resources);
        return provider.create(ctx);
    }

    @Provides
    @Singleton
    Detector detector(Engines live, Resources resources) {
        Detector d = create("detector", config.detector(), stages.detector(config.detector().plugin()), live, resources);
        return resources.register(d);
    }

    @Provides
    @Singleton
    Aligner aligner(Engines live, Resources resources) {
        return create("aligner", config.aligner(), stages.aligner(config.aligner().plugin()), live, resources);
    }

    @Provides
    @Singleton
    Embedder embedder(Engines live, Resources resources) {
        Embedder e = create("embedder", config.embedder(), stages.embedder(config.embedder().plugin()), live, resources);
        return resources.register(e);
    }

    @Provides
    @Singleton
    Matcher matcher(Engines live, Resources resources) {
        return create("matcher", config.matcher(), stages.matcher(config.matcher().plugin()), live, resources);
    }
}
