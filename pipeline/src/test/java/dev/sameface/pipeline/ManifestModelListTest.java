package dev.sameface.pipeline;

import dev.sameface.api.StageProvider;
import dev.sameface.pipeline.models.ModelManifest;
import dev.sameface.pipeline.registry.StageRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The one list of built-in models matches what the registered built-in plugins run: a new default model cannot be forgotten. */
class ManifestModelListTest {
    @Test
    void builtInModelListIsWhatTheBuiltInPluginsName() {
        ModelManifest manifest = ModelManifest.load();
        StageRegistry stages = StageRegistry.load();
        List<String> named = new ArrayList<>();
        Stream.of(stages.detectors(), stages.aligners(), stages.embedders(), stages.matchers())
                .flatMap(m -> m.values().stream())
                .forEach(p -> named.addAll(models((StageProvider<?>) p, manifest)));
        assertThat(ModelManifest.BUILT_IN_PIPELINE_MODELS).containsExactlyInAnyOrderElementsOf(named.stream().distinct().toList());
        assertThat(manifest.models()).containsKeys(ModelManifest.BUILT_IN_PIPELINE_MODELS.toArray(String[]::new));
    }

    /** A plugin's default model and every option whose default is a manifest model id (e.g. a landmark model). */
    private static List<String> models(StageProvider<?> p, ModelManifest manifest) {
        List<String> out = new ArrayList<>();
        if (p.defaultModel() != null) {
            out.add(p.defaultModel());
        }
        for (Map.Entry<String, String> o : p.options().entrySet()) {
            if (manifest.models().containsKey(o.getValue())) {
                out.add(o.getValue());
            }
        }
        return out;
    }
}
