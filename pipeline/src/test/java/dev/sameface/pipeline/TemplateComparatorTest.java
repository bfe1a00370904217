package dev.sameface.pipeline;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Template;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.models.ModelManifest;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pipelines.matcherOnly: the comparison a pipeline makes, from a model cache with no model in it. */
class TemplateComparatorTest {
    @TempDir
    Path emptyHome;

    @Test
    void comparesLikeTheFullPipelineWithoutAnyModel() throws Exception {
        Template a;
        Template b;
        Template other;
        Verification full;
        try (FacePipeline p = TestData.pipeline(PipelineConfig.defaults())) {
            a = p.createTemplate(TestData.lfw("Colin_Powell", 1));
            b = p.createTemplate(TestData.lfw("Colin_Powell", 2));
            other = p.createTemplate(TestData.lfw("Serena_Williams", 1));
            full = p.verify(a, b);
            assertThat(p.modelFingerprint()).isEqualTo(a.modelFingerprint());
        }
        ModelCache empty = new ModelCache(ModelManifest.load(), emptyHome, List.of());
        TemplateComparator c = Pipelines.matcherOnly(PipelineConfig.defaults(), empty);
        try (c) {
            assertThat(c.matcherName()).isEqualTo("cosine");
            assertThat(c.embeddingSpace()).isEqualTo(a.modelFingerprint());
            Verification v = c.verify(a, b);
            assertThat(v.score()).isEqualTo(full.score());
            assertThat(v.threshold()).isEqualTo(full.threshold());
            assertThat(v.same()).isTrue();
            assertThat(c.verify(a, other).same()).isFalse();
            Verification failed = c.verify(a, Template.failed(a.modelFingerprint(), ErrorCode.NO_FACE));
            assertThat(failed.same()).isFalse();
            assertThat(failed.reason()).isEqualTo("second image: no face found");
        }
        try (Stream<Path> files = Files.list(emptyHome)) {
            assertThat(files).isEmpty();
        }
        assertThatThrownBy(() -> c.verify(a, b)).isInstanceOf(IllegalStateException.class);

        // Without a threshold the decision is a configuration error, as in the full pipeline.
        PipelineConfig d = PipelineConfig.defaults();
        PipelineConfig noThreshold = new PipelineConfig(d.engine(), d.threads(), d.engineOptions(), null, null, d.faceSelection(),
                d.detector(), d.aligner(), d.embedder(), d.matcher(), d.precision(), d.templates());
        try (TemplateComparator t = Pipelines.matcherOnly(noThreshold, empty)) {
            assertThatThrownBy(() -> t.verify(a, b)).isInstanceOf(FaceException.class)
                    .extracting(e -> ((FaceException) e).code()).isEqualTo(ErrorCode.CONFIG_ERROR);
        }
    }
}
