package dev.sameface.cli;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.config.StageConfig;
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

    @Option(names = "--detector", paramLabel = "NAME", description = "Detector plugin: ultralight (default, fetched from npm) or yunet (needs SAMEFACE_LOCAL_MODELS).")
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
            // A different plugin starts from its own option defaults, not the previous plugin's options.
            String model = switch (detector) {
                case "yunet" -> "yunet-n";
                case "ultralight" -> "ulfg-rfb-320";
                default -> throw new FaceException(ErrorCode.UNKNOWN_NAME,
                        "--detector takes ultralight or yunet; use a config file or --set detector.plugin=... for other plugins");
            };
            c = c.withDetector(new StageConfig(detector, model, c.detector().engine(), Map.of()));
        }
        if (flipTta) {
            o.put("embedder.options.flip-tta", "true");
        }
        o.putAll(overrides);
        return o.isEmpty() ? c : c.withOverrides(o);
    }
}
