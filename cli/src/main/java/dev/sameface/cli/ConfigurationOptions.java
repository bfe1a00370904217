package dev.sameface.cli;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.evaluation.ConfigurationSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns {@code --config} / {@code --set} values into configurations. */
final class ConfigurationOptions {
    /** The word that stands for the built-in default configuration in {@code --config}. */
    static final String DEFAULT = "default";

    private ConfigurationOptions() {
    }

    /**
     * One configuration per {@code --config} (none: the built-in defaults), then one more per {@code --set}: the
     * first configuration with that {@code --set}'s overrides ({@code key=value[,key=value...]}).
     */
    static List<ConfigurationSpec> evaluateSpecs(List<String> configs, List<String> sets) {
        List<ConfigurationSpec> specs = new ArrayList<>();
        List<String> files = configs == null || configs.isEmpty() ? List.of(DEFAULT) : configs;
        for (String c : files) {
            Path p = configPath(c);
            specs.add(new ConfigurationSpec(label(p), p, Map.of()));
        }
        if (sets != null) {
            ConfigurationSpec base = specs.getFirst();
            for (String s : sets) {
                Map<String, String> o = overrides(List.of(s));
                StringBuilder label = new StringBuilder(base.label());
                o.forEach((k, v) -> label.append(" + ").append(k.substring(k.lastIndexOf('.') + 1)).append('=').append(v));
                specs.add(new ConfigurationSpec(label.toString(), base.configFile(), o));
            }
        }
        Set<String> seen = new HashSet<>();
        List<ConfigurationSpec> unique = new ArrayList<>();
        for (ConfigurationSpec s : specs) {
            String l = s.label();
            for (int i = 2; !seen.add(l); i++) {
                l = s.label() + " #" + i;
            }
            unique.add(new ConfigurationSpec(l, s.configFile(), s.overrides()));
        }
        return unique;
    }

    /** {@code null} for the built-in defaults. */
    static Path configPath(String value) {
        if (value == null || DEFAULT.equals(value) && !Files.exists(Path.of(value))) {
            return null;
        }
        Path p = Path.of(value);
        if (!Files.isRegularFile(p)) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "configuration file not found: " + value
                    + " (use '" + DEFAULT + "' for the built-in configuration)");
        }
        return p;
    }

    static String label(Path config) {
        if (config == null) {
            return DEFAULT;
        }
        String name = config.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Parses {@code key=value} items, each value possibly holding several separated by commas. */
    static Map<String, String> overrides(List<String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        if (values == null) {
            return out;
        }
        for (String v : values) {
            for (String item : v.split(",")) {
                String t = item.strip();
                int eq = t.indexOf('=');
                if (eq <= 0) {
                    throw new FaceException(ErrorCode.CONFIG_ERROR, "--set expects key=value (e.g. embedder.options.flip-tta=true), got '" + t + "'");
                }
                out.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
            }
        }
        return out;
    }
}
