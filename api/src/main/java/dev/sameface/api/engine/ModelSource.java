package dev.sameface.api.engine;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model as files on disk, verified against the manifest: one path per format available (the ONNX original,
 * and derived forms such as TorchScript). An engine takes the first of its {@link InferenceEngine#formats()}.
 *
 * @param id     the manifest id, e.g. {@code fr-feature-512}
 * @param sha256 the hash of the original (source) file, which names the weights whatever the format
 * @param files  the files by format
 * @param outputNames the original model's output names in order, for engines whose formats lose them (TorchScript)
 */
public record ModelSource(String id, String sha256, Map<ModelFormat, Path> files, List<String> outputNames) {
    public ModelSource {
        files = Map.copyOf(files);
        outputNames = List.copyOf(outputNames);
    }

    public static ModelSource onnx(String id, String sha256, Path file) {
        return new ModelSource(id, sha256, Map.of(ModelFormat.ONNX, file), List.of());
    }

    /**
     * The name of an embedding space, {@code <model id>@<first 16 hex digits of the weights' SHA-256>}: the one rule
     * that templates carry (see {@link dev.sameface.api.Template}), so that an embedder and a reader of the manifest
     * compute the same name.
     */
    public static String fingerprint(String id, String sha256) {
        return id + "@" + sha256.substring(0, 16);
    }

    /**
     * The embedding space of a model whose input is prepared as {@code used} says, where its manifest says
     * {@code manifest}: {@link #fingerprint(String, String)} when they agree on what changes the vector (colour order,
     * mean, scale, layout), else that name followed by {@code ~} and the preparation actually used, e.g.
     * {@code fr-feature-512@87aacdfe57510db2~RGB,mean=0.0,scale=1.0,NCHW}. The same weights fed differently give
     * vectors in another space: templates of the two must be refused, never compared (issue: a photo scored
     * against itself at -0.076 after a mean/scale override).
     */
    public static String fingerprint(String id, String sha256, ModelSpec manifest, ModelSpec used) {
        String base = fingerprint(id, sha256);
        if (used.colorOrder() == manifest.colorOrder() && Double.compare(used.mean(), manifest.mean()) == 0
                && Double.compare(used.scale(), manifest.scale()) == 0 && used.layout() == manifest.layout()) {
            return base;
        }
        return base + "~" + used.colorOrder() + ",mean=" + used.mean() + ",scale=" + used.scale() + "," + used.layout();
    }

    /** {@link #fingerprint(String, String)} of this model. */
    public String fingerprint() {
        return fingerprint(id, sha256);
    }

    public Optional<Path> file(ModelFormat format) {
        return Optional.ofNullable(files.get(format));
    }

    /** The first file whose format the engine loads, or a MODEL_MISSING error that says which forms exist. */
    public Map.Entry<ModelFormat, Path> pick(String engine, List<ModelFormat> accepted) {
        for (ModelFormat f : accepted) {
            Path p = files.get(f);
            if (p != null) {
                return Map.entry(f, p);
            }
        }
        throw new FaceException(ErrorCode.MODEL_MISSING, "engine " + engine + " loads " + accepted + " but model " + id
                + " is available only as " + files.keySet() + " (run: ./sameface models prepare)");
    }
}
