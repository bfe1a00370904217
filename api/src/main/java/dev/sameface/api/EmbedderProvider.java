package dev.sameface.api;

import dev.sameface.api.engine.ModelSource;
import dev.sameface.api.engine.ModelSpec;

/** Service interface for {@link Embedder} plugins: list an implementation in {@code META-INF/services/dev.sameface.api.EmbedderProvider}. */
public interface EmbedderProvider extends StageProvider<Embedder> {
    /**
     * The embedding space ({@link Embedder#fingerprint()}) that {@link #create} would give for these options, computed
     * without loading the model, so that comparing two templates needs no model. An embedder whose options change how
     * its input is prepared must name that here, exactly as its embedder does. The default: the options change
     * nothing, the space is the weights'.
     */
    default String embeddingSpace(String modelId, String sha256, ModelSpec manifestSpec, StageOptions options) {
        return ModelSource.fingerprint(modelId, sha256);
    }
}
