package dev.sameface.pipeline;

import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.InferenceEngineProvider;
import dev.sameface.pipeline.config.PipelineConfig;
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
    private MeasuredEngines measured;

    Engines(EngineRegistry registry, PipelineConfig config, Resources resources) {
        this.registry = registry;
        this.options = new EngineOptions(config.threads(), config.threads(), config.engineOptions());
        this.resources = resources;
    }

    synchronized InferenceEngine get(String name) {
        return create(registry.get(name));
    }

    /**
     * The engine for a stage: the named one, or for {@code auto} the fastest measured for the stage's main model
     * (a detector that also runs a landmark model keeps both on its detector model's engine).
     */
    synchronized InferenceEngine get(String name, String stage, String mainModel) {
        if (!EngineRegistry.AUTO.equals(name)) {
            return get(name);
        }
        MeasuredEngines.Choice choice = autoChoices.computeIfAbsent(stage, s -> {
            if (measured == null) {
                measured = MeasuredEngines.read(MeasuredEngines.standardFile());
            }
            MeasuredEngines.Choice c = measured.choose(registry, mainModel);
            LOG.info("{}: engine auto -> {} ({})", s, c.provider().name(), c.reason());
            return c;
        });
        return create(choice.provider());
    }

    private InferenceEngine create(InferenceEngineProvider provider) {
        return live.computeIfAbsent(provider.name(), n -> resources.register(provider.create(options)));
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
