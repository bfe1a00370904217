package dev.sameface.pipeline.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.files.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The models a user declared from their own files ({@code sameface models add}), kept in one YAML file beside the
 * cache: {@code $SAMEFACE_HOME/user-models.yaml} (elsewhere with {@code SAMEFACE_USER_MODELS} or the
 * {@code sameface.user-models} property). Each entry names the file where it lies (never copied), the sha256 it had
 * when declared, how its input is fed, the plugin that reads it, and the evidence for each fact. The cache checks
 * the sha256 on every use, so a file that changes afterwards is refused.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserModels(Map<String, UserModel> models) {
    public static final String FILE_NAME = "user-models.yaml";

    public UserModels {
        models = Map.copyOf(models == null ? Map.of() : models);
    }

    /**
     * One declared model.
     *
     * @param file      absolute path of the user's file, read in place
     * @param unproven  input fields that are conventions until measured ({@code color}, {@code mean-scale})
     * @param evidence  what proves each fact: the graph, the family's convention, or a probe's measurement
     * @param graphNormalises whether the graph normalises its own input (then only 0..255 feeding makes sense)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UserModel(String task, String plugin, String file, String sha256, ModelManifest.Input input, List<String> outputs,
                            List<String> evidence, List<String> unproven, String licence, Boolean graphNormalises) {
        public UserModel {
            outputs = outputs == null ? List.of() : List.copyOf(outputs);
            evidence = evidence == null ? List.of() : List.copyOf(evidence);
            unproven = unproven == null ? List.of() : List.copyOf(unproven);
        }

        /** The entry as the model cache sees it: a {@code client: file} source at its absolute path. */
        public ModelManifest.ModelEntry manifestEntry(String id) {
            var source = new ModelManifest.Source("file", null, null, file, null, null, null, null, null);
            return new ModelManifest.ModelEntry(task, "declared from " + file + " by sameface models add", sha256, source,
                    licence == null ? "unknown (your file)" : licence, "models add", input,
                    unproven.isEmpty() ? null : "not proven: " + String.join(", ", unproven) + " (sameface models probe " + id + ")", null);
        }

        public UserModel withInput(ModelManifest.Input in, List<String> moreEvidence, List<String> stillUnproven) {
            List<String> ev = new java.util.ArrayList<>(evidence);
            ev.addAll(moreEvidence);
            return new UserModel(task, plugin, file, sha256, in, outputs, ev, stillUnproven, licence, graphNormalises);
        }
    }

    /** Where the user's declarations live for this cache home. */
    public static Path location(Path home) {
        String p = System.getProperty("sameface.user-models");
        if (p == null || p.isBlank()) {
            p = System.getenv("SAMEFACE_USER_MODELS");
        }
        return p == null || p.isBlank() ? home.resolve(FILE_NAME) : Path.of(p);
    }

    /** The declarations in {@code file}; none when it does not exist. */
    public static UserModels read(Path file) {
        if (!Files.isRegularFile(file)) {
            return new UserModels(Map.of());
        }
        try {
            return ModelManifest.mapper().readValue(file.toFile(), UserModels.class);
        } catch (IOException e) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "user model list " + file + " is unreadable: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    public UserModels with(String id, UserModel m) {
        Map<String, UserModel> all = new TreeMap<>(models);
        all.put(id, m);
        return new UserModels(all);
    }

    public UserModel model(String id) {
        UserModel m = models.get(id);
        if (m == null) {
            throw new FaceException(ErrorCode.UNKNOWN_NAME, "'" + id + "' is no model declared with sameface models add; declared: "
                    + (models.isEmpty() ? "none" : String.join(", ", new TreeMap<>(models).keySet())));
        }
        return m;
    }

    public void write(Path file) {
        AtomicFiles.writeString(file, "# Models declared from your own files by `sameface models add` (and measured by `models probe`).\n"
                + "# Each file is read in place and refused if its sha256 changes.\n" + toYaml());
    }

    public String toYaml() {
        try {
            return yaml().writeValueAsString(new TreeMap<>(Map.of("models", new TreeMap<>(models))));
        } catch (IOException e) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "cannot write user model list: " + e.getMessage(), e);
        }
    }

    private static ObjectMapper yaml() {
        ObjectMapper m = ModelManifest.mapper();
        ((com.fasterxml.jackson.dataformat.yaml.YAMLFactory) m.getFactory()).disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES);
        return m.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /** The built-in (and plugin) manifest with these declarations added; an id may not shadow a built-in one. */
    public ModelManifest addTo(ModelManifest base, Path origin) {
        return addTo(base, origin.toString());
    }

    public ModelManifest addTo(ModelManifest base, String origin) {
        Map<String, ModelManifest.ModelEntry> entries = new TreeMap<>();
        models.forEach((id, m) -> entries.put(id, m.manifestEntry(id)));
        return base.withUserModels(entries, origin);
    }

    /** The plugin a declared model was declared for, if it is a declared model with one. */
    public java.util.Optional<String> pluginOf(String id) {
        UserModel m = id == null ? null : models.get(id);
        return m == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(m.plugin());
    }

    /** These declarations and {@code more} (a configuration's {@code models:} block); an id in both is an error. */
    public UserModels and(Map<String, UserModel> more, String origin) {
        Map<String, UserModel> all = new TreeMap<>(models);
        for (var e : more.entrySet()) {
            if (all.putIfAbsent(e.getKey(), e.getValue()) != null) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, origin + " declares model '" + e.getKey() + "', which "
                        + "sameface models add declared already; use another id");
            }
        }
        return new UserModels(all);
    }
}
