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
        private final String storeKey;

        public PipelineExtractor(FacePipeline pipeline) {
            this.pipeline = pipeline;
            // The pipeline's fingerprint leaves out the engine (engines agree to 1e-4), but comparing engines is a
            // job of this tool: keying the store on the description too keeps each engine's templates apart.
            this.storeKey = pipeline.fingerprint() + " | " + pipeline.describe();
        }

        public FacePipeline pipeline() {
            return pipeline;
        }

        @Override
        public Template extract(Path image) {
            return pipeline.createTemplate(image);
        }

        @Override
        public String fingerprint() {
            return storeKey;
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
