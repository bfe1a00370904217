package dev.sameface.pipeline.registry;

import dev.sameface.pipeline.files.AtomicFiles;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.sameface.api.SamefaceHome;
import dev.sameface.api.engine.InferenceEngineProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The fastest engine per model on this machine, as {@code sameface bench-models} measured it, kept in
 * {@code $SAMEFACE_HOME/bench/fastest-engines.yaml}. {@code engine: auto} picks from it; without a usable entry
 * (no file, unreadable file, model not measured, engine gone or unavailable) it falls back to the best-ranked
 * available engine, and says why.
 *
 * @param models per model id, what was measured
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MeasuredEngines(Map<String, Measurement> models) {
    private static final Logger LOG = LoggerFactory.getLogger(MeasuredEngines.class);
    private static final String HEADER = """
            # Written by `sameface bench-models`: the fastest engine per model on this machine, by median single-thread
            # latency (engines interleaved in one run). `engine: auto` in a pipeline configuration picks from it.
            """;

    /**
     * @param fastest       engine with the lowest median
     * @param measured      when (ISO-8601 instant)
     * @param compared      the engines that ran, in the run's order
     * @param medianMs      median milliseconds per engine
     * @param engineOptions engine properties the run used (e.g. {@code precision: bf16}); empty for the defaults
     * @param input         the input shape timed, e.g. {@code 1x3x112x112}
     * @param precisions    per engine, the fastest precision that passed its gate on this CPU ({@code precision: auto});
     *                      engines measured in f32 only are absent
     * @param precisionMedianMs per engine, median milliseconds per precision measured (f32 included)
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Measurement(String fastest, String measured, List<String> compared, Map<String, Double> medianMs,
                              Map<String, String> engineOptions, String input, Map<String, String> precisions,
                              Map<String, Map<String, Double>> precisionMedianMs) {
        public Measurement {
            compared = compared == null ? List.of() : List.copyOf(compared);
            medianMs = medianMs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(medianMs));
            engineOptions = engineOptions == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(engineOptions));
            precisions = precisions == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(precisions));
            precisionMedianMs = precisionMedianMs == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(precisionMedianMs));
        }

        /** An f32-only measurement. */
        public Measurement(String fastest, String measured, List<String> compared, Map<String, Double> medianMs,
                           Map<String, String> engineOptions, String input) {
            this(fastest, measured, compared, medianMs, engineOptions, input, null, null);
        }

        /** This measurement with the given engines' precision results replaced (a one-engine precision run). */
        public Measurement withPrecisions(Map<String, String> fastestPrecision, Map<String, Map<String, Double>> medians) {
            Map<String, String> p = new TreeMap<>(precisions);
            p.putAll(fastestPrecision);
            Map<String, Map<String, Double>> m = new TreeMap<>(precisionMedianMs);
            m.putAll(medians);
            return new Measurement(fastest, measured, compared, medianMs, engineOptions, input, p, m);
        }
    }

    /** What {@code auto} chose for one model, and why (for logs and {@code describe()}). */
    public record Choice(InferenceEngineProvider provider, String reason) {
    }

    public MeasuredEngines {
        models = models == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(models));
    }

    public static MeasuredEngines empty() {
        return new MeasuredEngines(Map.of());
    }

    /**
     * {@code $SAMEFACE_HOME/bench/fastest-engines.yaml}, or the file the system property
     * {@code sameface.fastest-engines} names (tests use it to leave the real measurement alone).
     */
    public static Path standardFile() {
        String p = System.getProperty("sameface.fastest-engines");
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        return SamefaceHome.resolve().resolve("bench").resolve("fastest-engines.yaml");
    }

    private static ObjectMapper mapper() {
        return new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
                .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * The file's content; empty when it does not exist. An unreadable or malformed file is only a lost
     * measurement, not a reason to refuse to run: it is logged and read as empty.
     */
    public static MeasuredEngines read(Path file) {
        try {
            MeasuredEngines m = mapper().readValue(Files.readAllBytes(file), MeasuredEngines.class);
            return m == null ? empty() : m;
        } catch (NoSuchFileException e) {
            return empty();
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring {}: not a measurement file ({}); run `sameface bench-models` to measure again", file,
                    e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(""));
            return empty();
        }
    }

    /** This file with the given models' entries replaced (models measured before and not now are kept). */
    public MeasuredEngines with(Map<String, Measurement> newer) {
        Map<String, Measurement> m = new TreeMap<>(models);
        m.putAll(newer);
        return new MeasuredEngines(m);
    }

    /** Writes atomically (a half-written file would otherwise be read as corrupt by a concurrent pipeline). */
    public void write(Path file) {
        AtomicFiles.write(file, out -> {
            out.write(HEADER.getBytes(StandardCharsets.UTF_8));
            out.write(mapper().writeValueAsBytes(this));
        });
    }

    public Optional<Measurement> measurement(String modelId) {
        return Optional.ofNullable(modelId == null ? null : models.get(modelId));
    }

    /**
     * The engine {@code auto} means for {@code modelId}: the measured fastest when it is on the class path and
     * available, else the best-ranked available engine ({@link EngineRegistry#get} of {@code auto}).
     */
    public Choice choose(EngineRegistry registry, String modelId) {
        Optional<Measurement> m = measurement(modelId);
        String fallbackWhy;
        if (m.isEmpty()) {
            fallbackWhy = "no measurement for " + modelId;
        } else {
            Optional<InferenceEngineProvider> p = registry.find(m.get().fastest());
            if (p.isEmpty()) {
                fallbackWhy = "measured fastest for " + modelId + " was '" + m.get().fastest() + "', which is not on the class path";
            } else {
                var availability = p.get().availability();
                if (availability.available()) {
                    return new Choice(p.get(), "fastest measured for " + modelId + " on " + m.get().measured()
                            + " among " + m.get().compared() + (m.get().engineOptions().isEmpty() ? "" : " with " + m.get().engineOptions()));
                }
                fallbackWhy = "measured fastest for " + modelId + " was " + m.get().fastest() + ", not available now: " + availability.reason();
            }
        }
        return new Choice(registry.get(EngineRegistry.AUTO), "best-ranked available engine; " + fallbackWhy);
    }
}
