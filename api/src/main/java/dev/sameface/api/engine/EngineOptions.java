package dev.sameface.api.engine;

import java.util.Map;

/**
 * Settings every engine honours, plus string properties (DJL's habit): {@code denormals=flush|keep}, which every
 * engine reads ({@link Denormals}), and engine-specific ones, e.g. OpenVINO's {@code precision=bf16} or
 * {@code cacheDir=/path}. The default is one thread for everything, as FRVT requires.
 */
public record EngineOptions(int intraOpThreads, int interOpThreads, Map<String, String> properties) {
    public EngineOptions {
        if (intraOpThreads < 1 || interOpThreads < 1) {
            throw new IllegalArgumentException("thread counts must be at least 1");
        }
        properties = Map.copyOf(properties);
    }

    public static EngineOptions singleThreaded() {
        return new EngineOptions(1, 1, Map.of());
    }

    public EngineOptions withProperties(Map<String, String> more) {
        var merged = new java.util.HashMap<>(properties);
        merged.putAll(more);
        return new EngineOptions(intraOpThreads, interOpThreads, merged);
    }

    public String property(String key, String fallback) {
        return properties.getOrDefault(key, fallback);
    }
}
