package dev.sameface.pipeline;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.ProvisionException;
import com.google.inject.spi.Message;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Matcher;
import dev.sameface.api.MatcherProvider;
import dev.sameface.api.TemplateProtection;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.config.StageConfig;
import dev.sameface.pipeline.config.TemplateSettings;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.models.UserModels;
import dev.sameface.pipeline.registry.EngineRegistry;
import dev.sameface.pipeline.registry.StageRegistry;

/** Builds {@link FacePipeline}s from configurations. */
public final class Pipelines {
    private Pipelines() {
    }

    /** The cache with the configuration's own {@code models:} block added to its manifest. */
    private static ModelCache withDeclared(PipelineConfig config, ModelCache cache) {
        if (config.models().isEmpty()) {
            return cache;
        }
        return cache.withManifest(new UserModels(config.models()).addTo(cache.manifest(), "the configuration's models:"));
    }

    /**
     * A stage whose model is a declared one (models add, or the configuration's {@code models:}) runs on the plugin
     * that model was declared for: {@code --set detector.model=my-scrfd} alone switches the detector to {@code scrfd}.
     * The previous plugin's options go with it, as when a configuration names another plugin.
     */
    private static PipelineConfig declaredPlugins(PipelineConfig config, ModelCache cache) {
        UserModels declared = UserModels.read(UserModels.location(cache.home())).and(config.models(), "the configuration's models:");
        PipelineConfig c = config;
        var d = c.detector();
        var dp = declared.pluginOf(d.model());
        if (dp.isPresent() && !dp.get().equals(d.plugin())) {
            c = c.withDetector(new StageConfig(dp.get(), d.model(), d.engine(), java.util.Map.of(), d.precision()));
        }
        var e = c.embedder();
        var ep = declared.pluginOf(e.model());
        if (ep.isPresent() && !ep.get().equals(e.plugin())) {
            c = c.withEmbedder(new StageConfig(ep.get(), e.model(), e.engine(), java.util.Map.of(), e.precision()));
        }
        return c;
    }

    /** The pipeline the configuration describes, with the standard model cache and the plugins on the class path. */
    public static FacePipeline create(PipelineConfig config) {
        return create(config, ModelCache.standard());
    }

    public static FacePipeline create(PipelineConfig given, ModelCache standard) {
        ModelCache cache = withDeclared(given, standard);
        PipelineConfig config = declaredPlugins(given, cache);
        com.google.inject.Injector injector;
        try {
            injector = Guice.createInjector(new PipelineModule(config, cache, EngineRegistry.load(), StageRegistry.load()));
        } catch (CreationException e) {
            throw unwrap(e.getErrorMessages(), e);
        }
        try {
            return injector.getInstance(FacePipeline.class);
        } catch (ProvisionException e) {
            // Engines and models opened before the failing stage must not leak.
            injector.getInstance(Resources.class).close();
            throw unwrap(e.getErrorMessages(), e);
        } catch (RuntimeException e) {
            injector.getInstance(Resources.class).close();
            throw e;
        }
    }

    /**
     * What comparing two templates needs, and nothing more: the configured matcher, threshold and embedding space.
     * No detector and no embedder is built, so a matcher that needs no model loads none (the model cache may be
     * empty); the embedding space comes from the model manifest.
     */
    public static TemplateComparator matcherOnly(PipelineConfig config) {
        return matcherOnly(config, ModelCache.standard());
    }

    public static TemplateComparator matcherOnly(PipelineConfig given, ModelCache standard) {
        ModelCache cache = withDeclared(given, standard);
        PipelineConfig config = declaredPlugins(given, cache);
        StageRegistry stages = StageRegistry.load();
        StageSettingsCheck.check(config, stages);
        String space = embeddingSpace(config, stages, cache);
        MatcherProvider provider = stages.matcher(config.matcher().plugin());
        Resources resources = new Resources();
        try {
            // Engines open lazily: only a matcher that loads a model starts one.
            Engines engines = new Engines(EngineRegistry.load(), config, resources);
            Matcher matcher = provider.create(new PipelineStageContext("matcher", config.matcher(), provider,
                    config.engineFor(config.matcher()), config.precisionFor(config.matcher()), engines, cache, resources));
            return new TemplateComparator(matcher, provider.name(), space, config.threshold(), resources, protection(config));
        } catch (RuntimeException e) {
            resources.close();
            throw e;
        }
    }

    /**
     * The model fingerprint the configured embedder gives its templates, {@code <model id>@<first 16 hex digits of
     * the weights' SHA-256>} (see {@link dev.sameface.api.Template}), read from the manifest without the weights.
     */
    static String embeddingSpace(PipelineConfig config, StageRegistry stages, ModelCache cache) {
        String model = config.embedder().model();
        if (model == null || model.isBlank()) {
            model = stages.embedder(config.embedder().plugin()).defaultModel();
        }
        if (model == null) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "embedder plugin '" + config.embedder().plugin()
                    + "' needs a 'model' to say which embedding space templates belong to");
        }
        // The provider names the space, as its embedder would: options that change the input preparation change it.
        var provider = stages.embedder(config.embedder().plugin());
        var entry = cache.manifest().model(model);
        var options = dev.sameface.api.StageOptions.of(StageSettingsCheck.label("embedder", provider), provider.optionSpecs(),
                config.embedder().options());
        return provider.embeddingSpace(model, entry.sha256(), entry.spec(model), options);
    }

    /** The configuration's template protection: a key file's MAC (and encryption), or none. */
    static TemplateProtection protection(PipelineConfig config) {
        TemplateSettings t = config.templates();
        if (t == null || t.keyFile() == null || t.keyFile().isBlank()) {
            return TemplateProtection.NONE;
        }
        return TemplateProtection.fromKeyFile(java.nio.file.Path.of(t.keyFile()), Boolean.TRUE.equals(t.encrypt()));
    }

    /** Guice wraps what a provider throws; callers should see our typed error, not Guice's. */
    private static RuntimeException unwrap(java.util.Collection<Message> messages, RuntimeException e) {
        for (Message m : messages) {
            Throwable c = m.getCause();
            while (c != null) {
                if (c instanceof FaceException fe) {
                    return fe;
                }
                c = c.getCause();
            }
        }
        return new FaceException(ErrorCode.INTERNAL_ERROR, "could not build the pipeline: " + e.getMessage(), e);
    }
}
