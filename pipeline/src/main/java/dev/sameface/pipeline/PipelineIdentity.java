package dev.sameface.pipeline;

import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.models.Sha256;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything that decides a template's vector, as resolved when the pipeline was built, in one canonical form:
 * equal identities give equal templates, and the identity does not depend on map insertion order, display text or
 * when {@code bench-models} last ran. Template stores and reports key on it; {@link FacePipeline#describe()} stays
 * the text for people.
 *
 * <p>Canonical text: one {@code key=value} line per fact, keys sorted (byte order of UTF-8, which {@link TreeMap}'s
 * natural String order matches for these ASCII keys), values with {@code \}, CR and LF escaped, schema line first.
 * The matcher and threshold are left out on purpose: they score templates, they do not make them.
 *
 * @param models        per {@code <stage>/<model id>}, the SHA-256 of the weights the stage runs ({@code int8:} and
 *                      the quantised copy's SHA-256 when it runs int8)
 * @param stages        per stage, its plugin and options ({@code plugin}, {@code option.<name>})
 * @param engines       per stage that runs a model, the engine as resolved ({@code auto} included): name, version and
 *                      settings as the engine describes itself
 * @param precisions    per stage that runs a model, f32, bf16 or int8 as resolved
 * @param flipTta       whether the embedder averages the mirrored crop in
 * @param faceSelection which face of a multi-face photo is enrolled
 * @param denormals     {@code flush} or {@code keep}, as every engine applies it
 * @param engineOptions the engine properties as configured (thread counts included)
 */
public record PipelineIdentity(SortedMap<String, String> models, SortedMap<String, SortedMap<String, String>> stages,
                               SortedMap<String, String> engines, SortedMap<String, String> precisions, boolean flipTta,
                               String faceSelection, String denormals, SortedMap<String, String> engineOptions) {
    /** Bump when a fact is added or its meaning changes: stores of an older schema are then reported, not reused. */
    public static final int SCHEMA = 1;

    public PipelineIdentity {
        models = frozen(models);
        engines = frozen(engines);
        precisions = frozen(precisions);
        engineOptions = frozen(engineOptions);
        SortedMap<String, SortedMap<String, String>> s = new TreeMap<>();
        stages.forEach((k, v) -> s.put(k, frozen(v)));
        stages = Collections.unmodifiableSortedMap(s);
    }

    private static SortedMap<String, String> frozen(Map<String, String> m) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(m));
    }

    /**
     * @param stages per stage that makes templates (the matcher is dropped), plugin, model and every option as the
     *               plugin resolved it (its defaults filled in), so spelling a default out changes nothing
     */
    static PipelineIdentity of(PipelineConfig config, Map<String, ? extends Map<String, String>> stages, Map<String, String> models,
                               Map<String, String> engines, Map<String, String> precisions, String denormals) {
        SortedMap<String, SortedMap<String, String>> made = new TreeMap<>();
        stages.forEach((stage, facts) -> {
            if (!"matcher".equals(stage)) {
                made.put(stage, new TreeMap<>(facts));
            }
        });
        SortedMap<String, String> engineOptions = new TreeMap<>(config.engineOptions());
        engineOptions.remove(dev.sameface.api.engine.Denormals.PROPERTY);
        engineOptions.put("threads", Integer.toString(config.threads()));
        boolean flip = Boolean.parseBoolean(made.getOrDefault("embedder", new TreeMap<>()).getOrDefault("option.flip-tta", "false"));
        return new PipelineIdentity(new TreeMap<>(models), made, new TreeMap<>(engines), new TreeMap<>(precisions), flip,
                config.faceSelection(), denormals, engineOptions);
    }

    /** The canonical serialisation: what is hashed, and what a template store records in its header. */
    public String canonicalText() {
        SortedMap<String, String> lines = new TreeMap<>();
        models.forEach((k, v) -> lines.put("model." + k, v));
        stages.forEach((stage, facts) -> facts.forEach((k, v) -> lines.put("stage." + stage + "." + k, v)));
        engines.forEach((k, v) -> lines.put("engine." + k, v));
        precisions.forEach((k, v) -> lines.put("precision." + k, v));
        lines.put("flip-tta", Boolean.toString(flipTta));
        lines.put("face-selection", faceSelection);
        lines.put("denormals", denormals);
        engineOptions.forEach((k, v) -> lines.put("engine-option." + k, v));
        StringBuilder sb = new StringBuilder("sameface-pipeline-identity=").append(SCHEMA).append('\n');
        lines.forEach((k, v) -> sb.append(escape(k)).append('=').append(escape(v)).append('\n'));
        return sb.toString();
    }

    /** SHA-256 (hex) of {@link #canonicalText()}. */
    public String hash() {
        return Sha256.of(canonicalText().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The embedding space's fingerprint and the first 12 hex digits of {@link #hash()}: short enough for a report,
     * the full identity is {@link #canonicalText()}.
     */
    public String fingerprint(String modelFingerprint) {
        return modelFingerprint + "/" + hash().substring(0, 12);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n");
    }
}
