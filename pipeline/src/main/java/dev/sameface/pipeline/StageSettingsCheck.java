package dev.sameface.pipeline;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.StageOptions;
import dev.sameface.api.StageProvider;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.config.StageConfig;
import dev.sameface.pipeline.registry.StageRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks every stage's settings against what its provider declares, before any engine starts or model loads: each
 * option's type and range ({@link StageProvider#optionSpecs()}), and no {@code model}, {@code engine} or
 * {@code precision} for a stage that runs no network (they would be silently ignored). One
 * {@link ErrorCode#CONFIG_ERROR} naming the stage, the key, the value and what is allowed.
 */
final class StageSettingsCheck {
    private StageSettingsCheck() {
    }

    static void check(PipelineConfig config, StageRegistry stages) {
        Map<String, StageConfig> sections = new LinkedHashMap<>();
        sections.put("detector", config.detector());
        sections.put("aligner", config.aligner());
        sections.put("embedder", config.embedder());
        sections.put("matcher", config.matcher());
        for (var e : sections.entrySet()) {
            StageConfig sc = e.getValue();
            StageProvider<?> provider = switch (e.getKey()) {
                case "detector" -> stages.detector(sc.plugin());
                case "aligner" -> stages.aligner(sc.plugin());
                case "embedder" -> stages.embedder(sc.plugin());
                default -> stages.matcher(sc.plugin());
            };
            String label = label(e.getKey(), provider);
            StageOptions.of(label, provider.optionSpecs(), sc.options());
            if (!provider.needsModel()) {
                List<String> meaningless = new ArrayList<>();
                if (sc.model() != null) {
                    meaningless.add("model: " + sc.model());
                }
                if (sc.engine() != null) {
                    meaningless.add("engine: " + sc.engine());
                }
                if (sc.precision() != null) {
                    meaningless.add("precision: " + sc.precision());
                }
                if (!meaningless.isEmpty()) {
                    throw new FaceException(ErrorCode.CONFIG_ERROR, label + " runs no network, so it takes no model, engine or precision; "
                            + "remove " + String.join(", ", meaningless));
                }
            }
        }
    }

    /** How errors name a stage, e.g. {@code detector 'yunet'}. */
    static String label(String stage, StageProvider<?> provider) {
        return stage + " '" + provider.name() + "'";
    }
}
