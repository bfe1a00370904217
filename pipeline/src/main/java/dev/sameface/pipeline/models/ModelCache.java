package dev.sameface.pipeline.models;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.SamefaceHome;
import dev.sameface.api.engine.ModelFormat;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.torchscript.TorchScriptSidecar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a manifest model id to verified files. Fetched models live in {@code <home>/models/<id>/<id>.onnx};
 * models that no registry ships ({@code client: local}) are read in place from the directories in
 * {@code SAMEFACE_LOCAL_MODELS} (or the {@code sameface.local-models} property), never copied silently.
 * Derived forms (TorchScript exported from the ONNX file) sit beside the ONNX file with a JSON sidecar naming the
 * hash of the file they came from; a sidecar for other weights is ignored, never trusted.
 */
public final class ModelCache {
    private final ModelManifest manifest;
    private final Path home;
    private final List<Path> localDirs;
    /** Hashing is done once per file per process; keyed by path, size and modification time. */
    private static final Map<String, String> VERIFIED = new ConcurrentHashMap<>();

    public ModelCache(ModelManifest manifest, Path home, List<Path> localDirs) {
        this.manifest = manifest;
        this.home = home;
        this.localDirs = List.copyOf(localDirs);
    }

    public static ModelCache standard() {
        return withUserModels(ModelManifest.load(), SamefaceHome.resolve(), localDirsFromEnvironment());
    }

    /** A cache whose manifest also holds the models declared with {@code models add} ({@link UserModels#location}). */
    public static ModelCache withUserModels(ModelManifest manifest, Path home, List<Path> localDirs) {
        Path declared = UserModels.location(home);
        return new ModelCache(UserModels.read(declared).addTo(manifest, declared), home, localDirs);
    }

    public static List<Path> localDirsFromEnvironment() {
        String v = System.getProperty("sameface.local-models");
        if (v == null || v.isBlank()) {
            v = System.getenv("SAMEFACE_LOCAL_MODELS");
        }
        List<Path> dirs = new ArrayList<>();
        if (v != null) {
            for (String part : v.split(java.io.File.pathSeparator)) {
                if (!part.isBlank()) {
                    dirs.add(Path.of(part.trim()));
                }
            }
        }
        return dirs;
    }

    /** The same cache with another manifest (e.g. one with a configuration's own declared models added). */
    public ModelCache withManifest(ModelManifest m) {
        return new ModelCache(m, home, localDirs);
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public Path home() {
        return home;
    }

    /** Where a fetched model's ONNX file belongs. */
    public Path cachedFile(String id) {
        return inside(home.resolve("models"), id, id + ".onnx");
    }

    /**
     * {@code base/names...}, refused unless it stays inside {@code base}: the last line of defence behind the
     * manifest's id check, so no entry can make the cache write elsewhere.
     */
    public static Path inside(Path base, String... names) {
        Path root = base.toAbsolutePath().normalize();
        Path p = root;
        for (String n : names) {
            p = p.resolve(n);
        }
        p = p.normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, String.join("/", names) + " resolves to " + p + ", outside " + root);
        }
        return p;
    }

    /** The model's files, verified. Fails with MODEL_MISSING or MODEL_CHECKSUM_MISMATCH and what to do about it. */
    public ModelSource source(String id) {
        ModelManifest.ModelEntry entry = manifest.model(id);
        Path onnx = locate(id, entry);
        verify(id, entry, onnx);
        Map<ModelFormat, Path> files = new EnumMap<>(ModelFormat.class);
        files.put(ModelFormat.ONNX, onnx);
        List<String> outputNames = List.of();
        Path dir = home.resolve("models").resolve(id);
        Path pt = dir.resolve(id + ".pt");
        Path sidecar = TorchScriptSidecar.pathFor(pt);
        if (Files.isRegularFile(pt) && Files.isRegularFile(sidecar)) {
            TorchScriptSidecar meta = TorchScriptSidecar.read(sidecar, id);
            if (entry.sha256().equals(meta.sourceSha256())) {
                files.put(ModelFormat.TORCHSCRIPT, pt);
                outputNames = meta.outputNames();
            }
        }
        return new ModelSource(id, entry.sha256(), files, outputNames);
    }

    /**
     * The model's int8 copy ({@code <id>.int8.onnx}), verified: its sidecar names the manifest's weights, its hash is
     * the recorded one, and it passed its accuracy gate. A failed gate is a CONFIG_ERROR with the measured numbers.
     */
    public ModelSource int8Source(String id) {
        QuantisedSidecar s = int8Sidecar(id);
        boolean measuring = id.equals(System.getProperty(QuantisedSidecar.CANDIDATE_PROPERTY));
        if (measuring) {
            return ModelSource.onnx(id, manifest.model(id).sha256(), QuantisedSidecar.modelFile(home, id));
        }
        if (s.speedOnly()) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "the int8 copy of " + id + " is speed-only (untrained weights, no "
                    + "accuracy gate): only sameface bench-models times it");
        }
        if (s.gate() == null) {
            throw new FaceException(ErrorCode.MODEL_MISSING, "the int8 copy of " + id + " has not been through its accuracy gate "
                    + "(its preparation did not finish); run: " + QuantisedSidecar.PREPARE + id);
        } else if (!s.gate().passed()) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "the int8 copy of " + id + " failed its accuracy gate ("
                    + s.gate().summary() + ", measured " + s.created() + " on " + s.cpu() + "); run it in f32");
        }
        return ModelSource.onnx(id, manifest.model(id).sha256(), QuantisedSidecar.modelFile(home, id));
    }

    /** The int8 copy's sidecar, checked against the manifest and the file (whatever the gate said). */
    public QuantisedSidecar int8Sidecar(String id) {
        ModelManifest.ModelEntry entry = manifest.model(id);
        Path file = QuantisedSidecar.modelFile(home, id);
        QuantisedSidecar s = QuantisedSidecar.read(QuantisedSidecar.sidecarFile(file), id);
        if (!entry.sha256().equals(s.sourceSha256())) {
            throw new FaceException(ErrorCode.MODEL_MISSING, "the int8 copy of " + id + " was made from other weights (sha256 "
                    + s.sourceSha256() + ", the manifest's are " + entry.sha256() + "); run: " + QuantisedSidecar.PREPARE + id);
        }
        if (!Files.isRegularFile(file)) {
            throw new FaceException(ErrorCode.MODEL_MISSING, "the int8 copy of " + id + " (" + file + ") is missing; run: "
                    + QuantisedSidecar.PREPARE + id);
        }
        String actual = hash(file);
        if (!actual.equals(s.sha256())) {
            throw new FaceException(ErrorCode.MODEL_CHECKSUM_MISMATCH, "the int8 copy of " + id + " at " + file + " has sha256 "
                    + actual + " but its sidecar says " + s.sha256() + "; delete both and run: " + QuantisedSidecar.PREPARE + id);
        }
        return s;
    }

    /** True when the model's file is present and its hash matches, without throwing. */
    public boolean isReady(String id) {
        try {
            source(id);
            return true;
        } catch (FaceException e) {
            return false;
        }
    }

    private Path locate(String id, ModelManifest.ModelEntry entry) {
        if ("file".equals(entry.source().client())) {
            Path p = Path.of(entry.source().path());
            if (!Files.isRegularFile(p)) {
                throw new FaceException(ErrorCode.MODEL_MISSING, "model " + id + " was declared from " + p
                        + " (sameface models add), and that file is gone; put it back or declare the model again");
            }
            return p;
        }
        if ("local".equals(entry.source().client())) {
            String name = entry.source().path();
            for (Path dir : localDirs) {
                Path p = inside(dir, name);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
            throw new FaceException(ErrorCode.MODEL_MISSING, "model " + id + " (" + name + ") is not shipped by any package registry; "
                    + "point SAMEFACE_LOCAL_MODELS at a directory holding it (searched: " + (localDirs.isEmpty() ? "nothing set" : localDirs) + ")");
        }
        Path p = cachedFile(id);
        if (!Files.isRegularFile(p) && "generated".equals(entry.source().client())) {
            throw new FaceException(ErrorCode.MODEL_MISSING, "model " + id + " is not in the cache (" + p + "); it is "
                    + entry.source().describe() + " at set-up: run ./sameface models prepare " + id);
        }
        if (!Files.isRegularFile(p)) {
            throw new FaceException(ErrorCode.MODEL_MISSING, "model " + id + " is not in the cache (" + p + "); run: ./sameface models fetch"
                    + " (it comes from " + entry.source().describe() + ")");
        }
        return p;
    }

    /** The file's sha256, computed once per process for a given path, size and modification time. */
    private static String hash(Path file) {
        String key;
        try {
            key = file.toAbsolutePath() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
        return VERIFIED.computeIfAbsent(key, k -> Sha256.of(file));
    }

    private static void verify(String id, ModelManifest.ModelEntry entry, Path file) {
        String actual = hash(file);
        if (!actual.equals(entry.sha256()) && "file".equals(entry.source().client())) {
            // The user's own file: no registry to fetch it again from, and weights nobody measured must not decide.
            throw new FaceException(ErrorCode.MODEL_CHECKSUM_MISMATCH, "model " + id + ": " + file + " changed after it was declared"
                    + " (sha256 now " + actual + ", declared " + entry.sha256() + "); if the change is yours, declare it again: "
                    + "./sameface models add " + file + " --task " + entry.task() + " --id " + id + " --replace");
        }
        if (!actual.equals(entry.sha256())) {
            throw new FaceException(ErrorCode.MODEL_CHECKSUM_MISMATCH, "model " + id + " at " + file + " has sha256 " + actual
                    + " but the manifest says " + entry.sha256() + "; delete it and run: ./sameface models "
                    + ("generated".equals(entry.source().client()) ? "prepare " : "fetch ") + id);
        }
    }
}
