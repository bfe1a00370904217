package dev.sameface.api;

/** Service interface for {@link Aligner} plugins: list an implementation in {@code META-INF/services/dev.sameface.api.AlignerProvider}. */
public interface AlignerProvider extends StageProvider<Aligner> {
}
