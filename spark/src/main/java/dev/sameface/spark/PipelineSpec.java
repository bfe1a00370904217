package dev.sameface.spark;

import dev.sameface.evaluation.ConfigurationSpec;
import dev.sameface.evaluation.PipelineExtractorFactory;
import dev.sameface.pipeline.config.PipelineConfig;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which pipeline a job runs, in a form that travels to executors: a configuration file (readable on every executor,
 * e.g. shipped with spark-submit's --files) or the built-in defaults, plus dotted-key overrides.
 *
 * @param configFile the YAML configuration, or null for the built-in defaults
 * @param overrides  dotted keys applied on top, e.g. {@code engine=openvino}
 */
public record PipelineSpec(String configFile, Map<String, String> overrides) implements Serializable {
    public PipelineSpec {
        overrides = new TreeMap<>(overrides);
    }

    public static PipelineSpec defaults() {
        return new PipelineSpec(null, Map.of());
    }

    /** The resolved configuration (through the evaluation library, as {@code sameface evaluate} resolves it). */
    public PipelineConfig config() {
        return PipelineExtractorFactory.config(new ConfigurationSpec("spark",
                configFile == null ? null : Path.of(configFile), overrides));
    }
}
