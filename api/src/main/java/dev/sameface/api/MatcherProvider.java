package dev.sameface.api;

/** Service interface for {@link Matcher} plugins: list an implementation in {@code META-INF/services/dev.sameface.api.MatcherProvider}. */
public interface MatcherProvider extends StageProvider<Matcher> {
}
