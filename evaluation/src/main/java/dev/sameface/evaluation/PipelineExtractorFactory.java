package dev.sameface.evaluation;

import dev.sameface.api.Template;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;
import dev.sameface.pipeline.config.PipelineConfig;

import java.nio.file.Path;

/** Template extraction through the real {@link FacePipeline}, built from a configuration file plus overrides. */
public final class PipelineExtractorFactory implements ExtractorFactory {
    @Override
    public TemplateExtractor open(ConfigurationSpec spec) {
        return new PipelineExtractor(Pipelines.create(config(spec)));
    }

    /** The pipeline configuration a spec names. */
    public static PipelineConfig config(ConfigurationSpec spec) {
        PipelineConfig base = spec.configFile() == null ? PipelineConfig.defaults() : PipelineConfig.load(spec.configFile());
        return spec.overrides().isEmpty() ? base : base.withOverrides(spec.overrides());
    }

    /** Adapts a pipeline; closes it on close. */
    public static final class PipelineExtractor implements TemplateExtractor {
        private final FacePipeline pipeline;

        public PipelineExtractor(FacePipeline pipeline) {
            this.pipeline = pipeline;
        }

        public FacePipeline pipeline() {
            return pipeline;
        }

        @Override
        public Template extract(Path image) {
            return pipeline.createTemplate(image);
        }

        @Override
        public String identity() {
            // Names each engine as resolved (comparing engines is a job of this tool), never describe()'s text.
            return pipeline.identity().canonicalText();
        }

        @Override
        public String fingerprint() {
            return pipeline.fingerprint();
        }

        @Override
        public String describe() {
            return pipeline.describe();
        }

        @Override
        public void close() {
            pipeline.close();
        }
    }
}
