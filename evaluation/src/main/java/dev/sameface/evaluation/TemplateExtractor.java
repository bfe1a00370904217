package dev.sameface.evaluation;

import dev.sameface.api.Template;

import java.nio.file.Path;

/**
 * What the evaluation needs from a face pipeline: one template per image, and a name for everything that changes a
 * template (so templates can be cached and reused). Implemented over {@code FacePipeline} by
 * {@link PipelineExtractorFactory}.
 */
public interface TemplateExtractor extends AutoCloseable {
    /**
     * Never throws for a bad image or an image without a face: returns a failed template.
     *
     * @throws dev.sameface.api.FaceException only for configuration, model or engine problems
     */
    Template extract(Path image);

    /**
     * Everything that decides a template, in a canonical form (for a pipeline, {@code PipelineIdentity#canonicalText()}):
     * equal identities give equal templates; the template store is keyed by it.
     */
    String identity();

    /** A short name of {@link #identity()} for reports. */
    String fingerprint();

    /** One line for reports. */
    String describe();

    @Override
    void close();
}
