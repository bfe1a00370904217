package dev.sameface.pipeline;

import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.config.StageConfig;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline identity names what makes a template, in a canonical form: built from real pipelines (real models,
 * ONNX Runtime), it does not depend on the order options were written in, and changes with an option that changes
 * templates.
 */
class PipelineIdentityTest {

    /** The default pipeline with the detector's and the engine's options given in the order of {@code keys}. */
    private static PipelineConfig withOptionsInOrder(boolean reversed) {
        PipelineConfig d = PipelineConfig.defaults();
        Map<String, String> detector = new LinkedHashMap<>();
        Map<String, String> engine = new LinkedHashMap<>();
        if (reversed) {
            detector.put("top-k", "20");
            detector.put("landmark-model", "fr-landmark-68");
            detector.put("score-threshold", "0.7");
            engine.put("intra-op-spinning", "0");
            engine.put("denormals", "flush");
        } else {
            detector.put("score-threshold", "0.7");
            detector.put("landmark-model", "fr-landmark-68");
            detector.put("top-k", "20");
            engine.put("denormals", "flush");
            engine.put("intra-op-spinning", "0");
        }
        StageConfig det = new StageConfig(d.detector().plugin(), d.detector().model(), d.detector().engine(), detector);
        return new PipelineConfig(d.engine(), d.threads(), engine, d.threshold(), d.thresholdFmr(), d.faceSelection(),
                det, d.aligner(), d.embedder(), d.matcher(), d.precision(), d.templates());
    }

    @Test
    void mapInsertionOrderDoesNotChangeTheIdentity() {
        PipelineIdentity a;
        PipelineIdentity b;
        try (FacePipeline p = TestData.pipeline(withOptionsInOrder(false))) {
            a = p.identity();
        }
        try (FacePipeline p = TestData.pipeline(withOptionsInOrder(true))) {
            b = p.identity();
        }
        assertThat(b.canonicalText()).isEqualTo(a.canonicalText());
        assertThat(b.hash()).isEqualTo(a.hash());
        assertThat(b).isEqualTo(a);
        // The facts the identity must name, resolved: weights, engine version, precision, denormals, face selection.
        assertThat(a.canonicalText())
                .startsWith("sameface-pipeline-identity=" + PipelineIdentity.SCHEMA + "\n")
                .containsPattern("(?m)^model\\.embedder/fr-feature-512=[0-9a-f]{64}$")
                .containsPattern("(?m)^model\\.detector/mtcnn-onet=[0-9a-f]{64}$")
                .containsPattern("(?m)^engine\\.embedder=onnxruntime \\| ONNX Runtime \\d+\\.\\d+")
                .contains("\nprecision.embedder=f32\n", "\ndenormals=flush\n", "\nface-selection=large-central\n", "\nflip-tta=false\n")
                .doesNotContainPattern("(?m)^(stage\\.matcher|threshold)");
    }

    @Test
    void spellingOutADefaultKeepsTheIdentityAndAnOptionChangeChangesIt() {
        PipelineIdentity defaults;
        PipelineIdentity spelledOut;
        PipelineIdentity flipped;
        PipelineIdentity otherSelection;
        try (FacePipeline p = TestData.pipeline(PipelineConfig.defaults())) {
            defaults = p.identity();
        }
        try (FacePipeline p = TestData.pipeline(withOptionsInOrder(false))) {
            spelledOut = p.identity();
        }
        try (FacePipeline p = TestData.pipeline(PipelineConfig.defaults().withOverrides(Map.of("embedder.options.flip-tta", "true")))) {
            flipped = p.identity();
            assertThat(p.fingerprint()).endsWith("/" + flipped.hash().substring(0, 12));
        }
        try (FacePipeline p = TestData.pipeline(PipelineConfig.defaults().withOverrides(Map.of("face-selection", "central")))) {
            otherSelection = p.identity();
        }
        // intra-op-spinning is an engine option the default does not set: it is part of the identity.
        assertThat(spelledOut.hash()).isNotEqualTo(defaults.hash());
        assertThat(spelledOut.engineOptions()).containsEntry("intra-op-spinning", "0").doesNotContainKey("denormals");
        assertThat(flipped.flipTta()).isTrue();
        assertThat(flipped.hash()).isNotEqualTo(defaults.hash());
        assertThat(otherSelection.hash()).isNotEqualTo(defaults.hash()).isNotEqualTo(flipped.hash());
    }

    @Test
    void explicitDefaultOptionValuesGiveTheSameIdentity() {
        PipelineConfig d = PipelineConfig.defaults();
        StageConfig explicit = new StageConfig(d.detector().plugin(), d.detector().model(), d.detector().engine(),
                Map.of("score-threshold", "0.7", "nms-threshold", "0.4", "top-k", "20", "landmark-model", "fr-landmark-68"));
        try (FacePipeline implicit = TestData.pipeline(d);
             FacePipeline spelled = TestData.pipeline(d.withDetector(explicit))) {
            assertThat(spelled.identity().canonicalText()).isEqualTo(implicit.identity().canonicalText());
            assertThat(spelled.fingerprint()).isEqualTo(implicit.fingerprint());
        }
    }
}
