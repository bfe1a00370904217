package dev.sameface.pipeline.registry;

import dev.sameface.api.AlignerProvider;
import dev.sameface.api.DetectorProvider;
import dev.sameface.api.EmbedderProvider;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.MatcherProvider;
import dev.sameface.api.StageProvider;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The stage plugins on the class path, one name-keyed map per stage, found with {@link ServiceLoader}. */
public final class StageRegistry {
    private final Map<String, DetectorProvider> detectors;
    private final Map<String, AlignerProvider> aligners;
    private final Map<String, EmbedderProvider> embedders;
    private final Map<String, MatcherProvider> matchers;

    private StageRegistry(ClassLoader loader) {
        detectors = index("detector", ServiceLoader.load(DetectorProvider.class, loader));
        aligners = index("aligner", ServiceLoader.load(AlignerProvider.class, loader));
        embedders = index("embedder", ServiceLoader.load(EmbedderProvider.class, loader));
        matchers = index("matcher", ServiceLoader.load(MatcherProvider.class, loader));
    }

    public static StageRegistry load() {
        return new StageRegistry(Thread.currentThread().getContextClassLoader());
    }

    private static <P extends StageProvider<?>> Map<String, P> index(String stage, Iterable<P> found) {
        Map<String, P> m = new TreeMap<>();
        for (P p : found) {
            P previous = m.put(p.name(), p);
            if (previous != null) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, "two " + stage + " plugins named '" + p.name() + "': "
                        + previous.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        return Map.copyOf(new TreeMap<>(m));
    }

    public DetectorProvider detector(String name) {
        return get("detector", detectors, name);
    }

    public AlignerProvider aligner(String name) {
        return get("aligner", aligners, name);
    }

    public EmbedderProvider embedder(String name) {
        return get("embedder", embedders, name);
    }

    public MatcherProvider matcher(String name) {
        return get("matcher", matchers, name);
    }

    public Map<String, DetectorProvider> detectors() {
        return detectors;
    }

    public Map<String, AlignerProvider> aligners() {
        return aligners;
    }

    public Map<String, EmbedderProvider> embedders() {
        return embedders;
    }

    public Map<String, MatcherProvider> matchers() {
        return matchers;
    }

    private static <P> P get(String stage, Map<String, P> map, String name) {
        P p = map.get(name);
        if (p == null) {
            throw new FaceException(ErrorCode.UNKNOWN_NAME, "unknown " + stage + " plugin '" + name + "'; known: "
                    + (map.isEmpty() ? "(none)" : String.join(", ", new TreeMap<>(map).keySet())));
        }
        return p;
    }
}
