package dev.sameface.pipeline.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.models.UserModels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

/**
 * The whole pipeline in one file (YAML): per stage the plugin, model, engine and options; the default engine and
 * its thread count; the decision threshold and the false-match rate it was calibrated for; the face-selection
 * policy. Unknown keys are errors that list the known ones. The default ships in the jar as
 * {@code dev/sameface/pipeline/default.yaml}.
 *
 * @param engine        default engine for every stage ({@code onnxruntime}, {@code openvino}, {@code djl-pytorch},
 *                      {@code djl-onnxruntime}, or {@code auto})
 * @param threads       threads per engine (1, as FRVT requires, unless you know why)
 * @param engineOptions engine-specific properties, e.g. {@code precision: bf16} for OpenVINO
 * @param threshold     cosine similarity at or above which two faces are declared the same person
 * @param thresholdFmr  the false-match rate the threshold was calibrated for, and on what data (documentation)
 * @param faceSelection which face of a multi-face image is the subject: largest, central, large-central or best-score
 * @param precision     default numeric precision for every stage that does not name its own: f32 (default), bf16,
 *                      int8 or auto (see {@link Precision})
 * @param templates     how template files are protected: a key file for a MAC, optionally encryption (see
 *                      {@link TemplateSettings}); null (absent) = plain templates
 * @param models        models declared from the user's own files, in the format {@code sameface models add --print}
 *                      prints (see {@link dev.sameface.pipeline.models.UserModels}); empty: none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineConfig(String engine, Integer threads, Map<String, String> engineOptions, Double threshold,
                             String thresholdFmr, String faceSelection,
                             StageConfig detector, StageConfig aligner, StageConfig embedder, StageConfig matcher,
                             String precision, TemplateSettings templates,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, UserModels.UserModel> models) {
    public static final String DEFAULT_RESOURCE = "/dev/sameface/pipeline/default.yaml";

    public PipelineConfig {
        engine = engine == null ? "onnxruntime" : engine;
        threads = threads == null ? 1 : threads;
        engineOptions = engineOptions == null ? Map.of() : Map.copyOf(engineOptions);
        faceSelection = faceSelection == null ? "large-central" : faceSelection;
        precision = precision == null ? Precision.F32.id() : Precision.parse(precision).id();
        models = models == null ? Map.of() : Map.copyOf(models);
        // More threads than cores only adds contention (and 100000 never finishes creating an ONNX Runtime session).
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads < 1 || threads > cores) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "threads = " + threads + " is not allowed; it must be a whole number from 1 to "
                    + cores + " (the cores this machine has)");
        }
        if (threshold != null && (threshold < -1 || threshold > 1 || threshold.isNaN())) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "threshold is a cosine similarity in [-1, 1], got " + threshold);
        }
        for (var s : new Object[][]{{"detector", detector}, {"aligner", aligner}, {"embedder", embedder}, {"matcher", matcher}}) {
            StageConfig sc = (StageConfig) s[1];
            if (sc == null || sc.plugin() == null || sc.plugin().isBlank()) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, "the configuration needs a '" + s[0] + "' section with a 'plugin'");
            }
        }
    }

    /** A configuration that declares no models of its own. */
    public PipelineConfig(String engine, Integer threads, Map<String, String> engineOptions, Double threshold, String thresholdFmr,
                          String faceSelection, StageConfig detector, StageConfig aligner, StageConfig embedder, StageConfig matcher,
                          String precision, TemplateSettings templates) {
        this(engine, threads, engineOptions, threshold, thresholdFmr, faceSelection, detector, aligner, embedder, matcher, precision,
                templates, Map.of());
    }

    private static ObjectMapper mapper() {
        return new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
                .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // threads: 1.5 would otherwise become 1 without a word.
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    public static PipelineConfig defaults() {
        try (InputStream in = PipelineConfig.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new FaceException(ErrorCode.INTERNAL_ERROR, "default configuration missing from the class path");
            }
            return parse(mapper().readTree(in), "built-in default configuration");
        } catch (IOException e) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "default configuration unreadable: " + e.getMessage(), e);
        }
    }

    /** Reads a configuration file; keys it leaves out keep the built-in defaults (it is merged over them). */
    public static PipelineConfig load(Path file) {
        try {
            // A FIFO or device given as --config would block or read forever: the input door refuses it first.
            if (Files.exists(file)) {
                try {
                    dev.sameface.pipeline.image.InputFiles.checkedSize(file, dev.sameface.pipeline.image.InputFiles.maxBytes());
                } catch (FaceException e) {
                    throw new FaceException(ErrorCode.CONFIG_ERROR, "configuration " + e.getMessage(), e);
                }
            }
            JsonNode given = mapper().readTree(Files.readAllBytes(file));
            if (given == null || given.isMissingNode() || given.isNull()) {
                return defaults();
            }
            if (!given.isObject()) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, file + ": a configuration is a mapping of keys to values");
            }
            ObjectNode base = (ObjectNode) mapper().valueToTree(defaults());
            return parse(merge(base, given), file.toString());
        } catch (NoSuchFileException e) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "configuration file not found: " + file, e);
        } catch (IOException e) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, file + ": not valid YAML: " + firstLine(e.getMessage()), e);
        }
    }

    private static PipelineConfig parse(JsonNode node, String origin) {
        try {
            return mapper().treeToValue(node, PipelineConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, origin + ": unknown key '" + e.getPropertyName() + "' at "
                    + path(e) + "; known keys there: " + new TreeSet<>(e.getKnownPropertyIds().stream().map(String::valueOf).toList()), e);
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            // Our own check in a constructor (e.g. threads out of range): its one-line message, not Jackson's wrapping.
            if (e.getCause() instanceof FaceException fe) {
                throw new FaceException(fe.code(), origin + ": " + fe.getMessage(), e);
            }
            throw new FaceException(ErrorCode.CONFIG_ERROR, origin + ": " + firstLine(e.getMessage()), e);
        } catch (IOException e) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, origin + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static String path(UnrecognizedPropertyException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
            }
        }
        return sb.isEmpty() ? "the top level" : sb.toString();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static final java.util.Set<String> STAGES = java.util.Set.of("detector", "aligner", "embedder", "matcher");

    /**
     * Merges a file over the defaults. A stage section that names another plugin replaces the default section
     * whole: the previous plugin's model and options mean nothing to the new one.
     */
    private static JsonNode merge(ObjectNode base, JsonNode over) {
        over.properties().forEach(e -> {
            JsonNode b = base.get(e.getKey());
            if (STAGES.contains(e.getKey()) && b instanceof ObjectNode bo && e.getValue().isObject() && pluginChanges(bo, e.getValue())) {
                base.set(e.getKey(), e.getValue());
            } else if (b instanceof ObjectNode bo && e.getValue().isObject() && !"options".equals(e.getKey())) {
                merge(bo, e.getValue());
            } else {
                base.set(e.getKey(), e.getValue());
            }
        });
        return base;
    }

    private static boolean pluginChanges(JsonNode base, JsonNode over) {
        JsonNode p = over.get("plugin");
        return p != null && !p.asText().equals(base.path("plugin").asText());
    }

    /**
     * A copy with dotted-key overrides applied, e.g. {@code engine=openvino}, {@code detector.plugin=yunet},
     * {@code embedder.options.flip-tta=true}. Unknown keys fail as they would in a file.
     */
    public PipelineConfig withOverrides(Map<String, String> overrides) {
        ObjectNode root = (ObjectNode) mapper().valueToTree(this);
        // A new plugin for a stage starts from a clean section, as in a file (see merge).
        for (var e : overrides.entrySet()) {
            String[] parts = e.getKey().split("\\.");
            if (parts.length == 2 && STAGES.contains(parts[0]) && "plugin".equals(parts[1])
                    && !e.getValue().equals(root.path(parts[0]).path("plugin").asText())) {
                root.putObject(parts[0]);
            }
        }
        for (var e : overrides.entrySet()) {
            String[] parts = e.getKey().split("\\.");
            ObjectNode node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode child = node.get(parts[i]);
                if (child == null || child.isNull()) {
                    child = node.putObject(parts[i]);
                }
                if (!(child instanceof ObjectNode)) {
                    throw new FaceException(ErrorCode.CONFIG_ERROR, "cannot set '" + e.getKey() + "': '" + parts[i] + "' is not a section");
                }
                node = (ObjectNode) child;
            }
            node.put(parts[parts.length - 1], e.getValue());
        }
        return parse(root, "override " + overrides.keySet());
    }

    /** The stage sections replaced, for code that builds configurations. */
    public PipelineConfig withDetector(StageConfig d) {
        return new PipelineConfig(engine, threads, engineOptions, threshold, thresholdFmr, faceSelection, d, aligner, embedder, matcher, precision, templates, models);
    }

    public PipelineConfig withEmbedder(StageConfig e) {
        return new PipelineConfig(engine, threads, engineOptions, threshold, thresholdFmr, faceSelection, detector, aligner, e, matcher, precision, templates, models);
    }

    public PipelineConfig withEngine(String e) {
        return new PipelineConfig(e, threads, engineOptions, threshold, thresholdFmr, faceSelection, detector, aligner, embedder, matcher, precision, templates, models);
    }

    public PipelineConfig withThreshold(double t, String fmr) {
        return new PipelineConfig(engine, threads, engineOptions, t, fmr, faceSelection, detector, aligner, embedder, matcher, precision, templates, models);
    }

    public String toYaml() {
        try {
            return mapper().writeValueAsString(this);
        } catch (IOException e) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "cannot write configuration: " + e.getMessage(), e);
        }
    }

    public PipelineConfig withPrecision(String p) {
        return new PipelineConfig(engine, threads, engineOptions, threshold, thresholdFmr, faceSelection, detector, aligner, embedder, matcher, p, templates, models);
    }

    public PipelineConfig withTemplates(TemplateSettings t) {
        return new PipelineConfig(engine, threads, engineOptions, threshold, thresholdFmr, faceSelection, detector, aligner, embedder, matcher, precision, t, models);
    }

    /** The precision a stage asks for: its own, else the pipeline's. */
    public Precision precisionFor(StageConfig stage) {
        return Precision.parse(stage.precision() != null ? stage.precision() : precision);
    }

    /** The engine a stage runs on: its own, else the pipeline's. */
    public String engineFor(StageConfig stage) {
        return stage.engine() != null ? stage.engine() : engine;
    }
}
