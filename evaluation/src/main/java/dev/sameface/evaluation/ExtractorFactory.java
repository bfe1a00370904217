package dev.sameface.evaluation;

/** Builds the template extractor of one configuration; the evaluation closes it when that configuration is done. */
@FunctionalInterface
public interface ExtractorFactory {
    /** @throws dev.sameface.api.FaceException for a bad configuration or missing model/engine */
    TemplateExtractor open(ConfigurationSpec spec);
}
