package dev.sameface.api;

/** Service interface for {@link Embedder} plugins: list an implementation in {@code META-INF/services/dev.sameface.api.EmbedderProvider}. */
public interface EmbedderProvider extends StageProvider<Embedder> {
}
