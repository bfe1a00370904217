package dev.sameface.pipeline.config;

import java.util.Map;

/**
 * One stage of the configuration: which plugin, which model, which engine (null: the pipeline's default), the
 * plugin's options as strings (checked against what the plugin declares), and the numeric precision the stage's
 * models run in (null: the pipeline's; see {@link Precision}).
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record StageConfig(String plugin, String model, String engine, Map<String, String> options, String precision) {
    public StageConfig {
        options = options == null ? Map.of() : Map.copyOf(options);
        if (precision != null) {
            Precision.parse(precision);
        }
    }

    /** A stage at the pipeline's precision. */
    public StageConfig(String plugin, String model, String engine, Map<String, String> options) {
        this(plugin, model, engine, options, null);
    }

    public StageConfig withModel(String m) {
        return new StageConfig(plugin, m, engine, options, precision);
    }

    public StageConfig withPrecision(String p) {
        return new StageConfig(plugin, model, engine, options, p);
    }
}
