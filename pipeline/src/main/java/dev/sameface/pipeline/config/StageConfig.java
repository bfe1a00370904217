package dev.sameface.pipeline.config;

import java.util.Map;

/**
 * One stage of the configuration: which plugin, which model, which engine (null: the pipeline's default), and the
 * plugin's options as strings (checked against what the plugin declares).
 */
public record StageConfig(String plugin, String model, String engine, Map<String, String> options) {
    public StageConfig {
        options = options == null ? Map.of() : Map.copyOf(options);
    }
}
