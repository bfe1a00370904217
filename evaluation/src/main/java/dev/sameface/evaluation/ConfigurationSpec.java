package dev.sameface.evaluation;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * One pipeline configuration to evaluate: a config file (or the built-in defaults) plus dotted-key overrides.
 *
 * @param label      the name in reports and on the DET chart
 * @param configFile the YAML config, or {@code null} for the built-in defaults
 * @param overrides  dotted keys applied on top, e.g. {@code embedder.options.flip-tta=true}
 */
public record ConfigurationSpec(String label, Path configFile, Map<String, String> overrides) {
    public ConfigurationSpec {
        Objects.requireNonNull(label);
        overrides = Map.copyOf(overrides);
    }

    /** The built-in configuration, labelled {@code default}. */
    public static ConfigurationSpec defaults() {
        return new ConfigurationSpec("default", null, Map.of());
    }
}
