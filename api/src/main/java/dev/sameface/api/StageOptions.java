package dev.sameface.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A stage's settings: the provider's declared defaults overlaid with what the configuration gave. Unknown keys and
 * unparsable values are {@link ErrorCode#CONFIG_ERROR}s that name the stage, the key and the keys it knows.
 */
public final class StageOptions {
    private final String stage;
    private final Map<String, String> values;

    private StageOptions(String stage, Map<String, String> values) {
        this.stage = stage;
        this.values = values;
    }

    /** Overlays {@code given} on {@code defaults}, refusing keys the defaults do not declare. */
    public static StageOptions of(String stage, Map<String, String> defaults, Map<String, String> given) {
        Map<String, String> merged = new TreeMap<>(defaults);
        for (var e : given.entrySet()) {
            if (!defaults.containsKey(e.getKey())) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, "unknown option '" + e.getKey() + "' for " + stage
                        + "; known options: " + (defaults.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(defaults.keySet()))));
            }
            merged.put(e.getKey(), e.getValue());
        }
        return new StageOptions(stage, Map.copyOf(merged));
    }

    /**
     * Overlays {@code given} on the specs' defaults, refusing keys no spec declares and values outside a spec's type
     * or range (the defaults are checked too: a provider's own default out of range is its bug, caught at start-up).
     */
    public static StageOptions of(String stage, List<OptionSpec> specs, Map<String, String> given) {
        StageOptions o = of(stage, defaults(specs), given);
        for (OptionSpec spec : specs) {
            spec.check(stage, o.values.get(spec.name()));
        }
        return o;
    }

    /** The defaults the specs declare, by name. */
    public static Map<String, String> defaults(List<OptionSpec> specs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (OptionSpec s : specs) {
            if (m.put(s.name(), s.defaultValue()) != null) {
                throw new FaceException(ErrorCode.INTERNAL_ERROR, "option '" + s.name() + "' declared twice");
            }
        }
        return Map.copyOf(m);
    }

    public Set<String> keys() {
        return values.keySet();
    }

    public Map<String, String> asMap() {
        return values;
    }

    public String string(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, stage + " read undeclared option '" + key + "'");
        }
        return v;
    }

    public double number(String key) {
        String v = string(key);
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, stage + " option '" + key + "' must be a number, got '" + v + "'", e);
        }
        // NaN compares false with every threshold and silently changes results; no stage option means it.
        if (!Double.isFinite(d)) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, stage + " option '" + key + "' must be a finite number, got '" + v + "'");
        }
        return d;
    }

    public int integer(String key) {
        String v = string(key);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, stage + " option '" + key + "' must be a whole number, got '" + v + "'", e);
        }
    }

    public boolean flag(String key) {
        String v = string(key).trim().toLowerCase(java.util.Locale.ROOT);
        return switch (v) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new FaceException(ErrorCode.CONFIG_ERROR, stage + " option '" + key + "' must be true or false, got '" + v + "'");
        };
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
