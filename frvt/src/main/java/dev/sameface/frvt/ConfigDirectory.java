package dev.sameface.frvt;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.StageOptions;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.config.StageConfig;
import dev.sameface.pipeline.models.ModelCache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.List;
import java.util.Set;

/**
 * Makes the self-contained configuration directory {@link Frvt11#initialize} reads, as an FRVT submission ships it:
 * the pipeline configuration and a copy of exactly the model files it names, verified, taken from a model cache.
 */
public final class ConfigDirectory {
    private ConfigDirectory() {
    }

    /**
     * Writes {@code config} and its models into {@code dir} (created if needed).
     *
     * @return the model ids copied
     * @throws FaceException MODEL_MISSING or MODEL_CHECKSUM_MISMATCH from the cache, IO_ERROR when copying fails
     */
    public static List<String> create(Path dir, PipelineConfig config, ModelCache from) {
        Set<String> ids = new LinkedHashSet<>();
        var models = from.manifest().models();
        var registry = dev.sameface.pipeline.registry.StageRegistry.load();
        List<StageConfig> stages = java.util.Arrays.asList(config.detector(), config.aligner(), config.embedder(), config.matcher());
        List<java.util.function.Function<String, dev.sameface.api.StageProvider<?>>> providers = List.of(
                registry::detector, registry::aligner, registry::embedder, registry::matcher);
        for (int i = 0; i < stages.size(); i++) {
            StageConfig stage = stages.get(i);
            if (stage == null) {
                continue;
            }
            if (stage.model() != null && models.containsKey(stage.model())) {
                ids.add(stage.model());
            }
            // Secondary models (the O-Net or landmark model of the Ultra-Light detector) are named in the options,
            // the configuration's or, where it names none, the plugin's defaults.
            var provider = providers.get(i).apply(stage.plugin());
            StageOptions.of(stage.plugin(), provider.optionSpecs(), stage.options()).asMap().values().stream()
                    .filter(models::containsKey).forEach(ids::add);
        }
        try {
            Files.createDirectories(dir.resolve("models"));
            Files.writeString(dir.resolve(Frvt11.CONFIG_FILE), config.toYaml());
            for (String id : ids) {
                Path source = from.source(id).files().get(dev.sameface.api.engine.ModelFormat.ONNX);
                var entry = models.get(id);
                Path target = "local".equals(entry.source().client())
                        ? dir.resolve("models").resolve(entry.source().path())
                        : dir.resolve("models").resolve(id).resolve(id + ".onnx");
                Files.createDirectories(target.getParent());
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot write the FRVT configuration directory " + dir + ": " + e.getMessage(), e);
        }
        return List.copyOf(ids);
    }

    /** Takes write permission away from every entry, as an FRVT host mounts the directory. */
    public static void makeReadOnly(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "r-xr-xr-x" : "r--r--r--"));
            }
        }
    }

    /** Every entry's size and modification time: as root, permissions alone prove nothing, so the content is compared. */
    public static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                m.put(dir.relativize(p).toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return m;
    }

}
