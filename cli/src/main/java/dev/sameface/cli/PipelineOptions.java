package dev.sameface.cli;

import dev.sameface.pipeline.config.PipelineConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Options every command that builds a pipeline shares. */
final class PipelineOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Pipeline configuration (YAML); default: the built-in one.")
    Path config;

    @Option(names = "--engine", paramLabel = "NAME", description = "Inference engine for every stage: onnxruntime, openvino, djl-pytorch, djl-onnxruntime, auto.")
    String engine;

    @Option(names = "--detector", paramLabel = "NAME", description = "Detector plugin with its default model: ultralight (default, fetched from npm), yunet (model from SAMEFACE_LOCAL_MODELS), or any plugin on the class path.")
    String detector;

    @Option(names = "--flip-tta", description = "Also embed the mirrored crop and average (slower, slightly more accurate).")
    boolean flipTta;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override any configuration key, e.g. --set detector.options.score-threshold=0.8")
    Map<String, String> overrides = new LinkedHashMap<>();

    PipelineConfig resolve() {
        PipelineConfig c = config == null ? PipelineConfig.defaults() : PipelineConfig.load(config);
        Map<String, String> o = new LinkedHashMap<>();
        if (engine != null) {
            o.put("engine", engine);
        }
        if (detector != null) {
            // Any registered detector; its own default model and options apply (see PipelineConfig.withOverrides).
            o.put("detector.plugin", detector);
        }
        if (flipTta) {
            o.put("embedder.options.flip-tta", "true");
        }
        o.putAll(overrides);
        return o.isEmpty() ? c : c.withOverrides(o);
    }
}
