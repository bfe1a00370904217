package dev.sameface.pipeline;

import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.registry.EngineRegistry;

import java.util.LinkedHashMap;
import java.util.Map;

/** The engines one pipeline uses, created on first use and shared by the stages that name the same engine. */
final class Engines {
    private final EngineRegistry registry;
    private final EngineOptions options;
    private final Resources resources;
    private final Map<String, InferenceEngine> live = new LinkedHashMap<>();

    Engines(EngineRegistry registry, PipelineConfig config, Resources resources) {
        this.registry = registry;
        this.options = new EngineOptions(config.threads(), config.threads(), config.engineOptions());
        this.resources = resources;
    }

    synchronized InferenceEngine get(String name) {
        var provider = registry.get(name);
        return live.computeIfAbsent(provider.name(), n -> resources.register(provider.create(options)));
    }

    synchronized Map<String, String> descriptions() {
        Map<String, String> d = new LinkedHashMap<>();
        live.forEach((k, v) -> d.put(k, v.description()));
        return d;
    }
}
