package dev.sameface.pipeline.models;

import dev.sameface.pipeline.files.AtomicFiles;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@code sameface models prepare --precision int8} writes beside {@code <id>.int8.onnx}: which weights it was
 * quantised from, how, and the accuracy gate it was held to. The int8 copy is used only while the source hash is
 * the manifest's, the file's hash is the one recorded, and the gate passed; otherwise it is refused with the
 * measured numbers (never used silently, never "fixed" silently).
 *
 * @param format        sidecar version
 * @param precision     {@code int8}
 * @param sourceSha256  sha256 of the f32 ONNX file it came from (the manifest's)
 * @param sha256        sha256 of the quantised file
 * @param method        how it was quantised, e.g. {@code onnxruntime 1.23.2 quantize_static QDQ, per-channel s8 weights, u8 activations, MinMax}
 * @param recipe        the model's entry of tools/quantize/recipes.json it was made with (without its "why"); null in
 *                      copies made before it was recorded. A changed recipe makes the copy stale
 * @param calibration   what it was calibrated on
 * @param gate          the accuracy gate and its result; null while the copy is a candidate being gated, and for a
 *                      speed-only copy
 * @param speedOnly     true for the copy of an untrained (speed-only) model: made for bench-models, never gated (there
 *                      are no decisions to hold it to), never run by a pipeline; false otherwise (and in sidecars
 *                      written before it existed)
 * @param created       ISO-8601 instant
 * @param cpu           {@code model name} of /proc/cpuinfo where the gate ran
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuantisedSidecar(int format, String precision, String sourceSha256, String sha256, String method,
                               JsonNode recipe, Calibration calibration, Gate gate, boolean speedOnly, String created,
                               String cpu) {
    public static final int FORMAT = 1;
    public static final String PREPARE = "./sameface models prepare --precision int8 ";
    /**
     * System property naming the one model whose int8 copy may load whatever its gate said (or before it has one):
     * set by the preparation command while its gate evaluates the copy, and by the parity tests that measure the copy
     * on every engine; never by a user or a pipeline.
     */
    public static final String CANDIDATE_PROPERTY = "sameface.int8-candidate";

    /**
     * @param images   how many aligned crops
     * @param people   how many people they show
     * @param rule     how the people were chosen (never used by the gate's protocol)
     * @param root     the photo folder
     */
    public record Calibration(int images, int people, String rule, String root) {
    }

    /** Whether its preparation finished: gated (passed or failed), or speed-only, which has no gate. Not a field. */
    @JsonIgnore
    public boolean isFinished() {
        return gate != null || speedOnly;
    }

    /**
     * One run of the gate: the same protocol with the f32 and the int8 model, FNMR at one FMR.
     *
     * @param protocol              what was compared, e.g. LFW folders minus the calibration people, 2M impostors seed 42
     * @param targetFmr             e.g. 1e-3
     * @param maxRelativeIncrease   int8 passes when fnmrInt8 &le; fnmrF32 * (1 + this)
     * @param fnmrF32               FNMR of the f32 model at targetFmr
     * @param thresholdF32          its threshold
     * @param fnmrInt8              FNMR of the int8 model at targetFmr
     * @param thresholdInt8         its threshold
     * @param genuine               genuine comparisons
     * @param impostors             impostor comparisons
     * @param passed                the verdict
     */
    public record Gate(String protocol, double targetFmr, double maxRelativeIncrease, double fnmrF32, double thresholdF32,
                       double fnmrInt8, double thresholdInt8, long genuine, long impostors, boolean passed) {
        public static boolean passes(double fnmrF32, double fnmrInt8, double maxRelativeIncrease) {
            return fnmrInt8 <= fnmrF32 * (1 + maxRelativeIncrease);
        }

        /** One line with both numbers, for messages and {@code describe()}. */
        public String summary() {
            return String.format(Locale.ROOT, "FNMR at FMR %.0e: int8 %.4f%% (T %.4f) vs f32 %.4f%% (T %.4f), limit +%.0f%% relative: %s",
                    targetFmr, 100 * fnmrInt8, thresholdInt8, 100 * fnmrF32, thresholdF32, 100 * maxRelativeIncrease,
                    passed ? "passed" : "failed");
        }
    }

    private static ObjectMapper mapper() {
        return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** {@code <home>/models/<id>/<id>.int8.onnx}. */
    public static Path modelFile(Path home, String id) {
        return ModelCache.inside(home.resolve("models"), id, id + ".int8.onnx");
    }

    public static Path sidecarFile(Path model) {
        return model.resolveSibling(model.getFileName() + ".json");
    }

    public static QuantisedSidecar read(Path file, String id) {
        if (!Files.isRegularFile(file)) {
            throw new FaceException(ErrorCode.MODEL_MISSING, "model " + id + " has no int8 copy (" + file + " is missing); run: "
                    + PREPARE + id);
        }
        try {
            QuantisedSidecar s = mapper().readValue(file.toFile(), QuantisedSidecar.class);
            if (s.format() != FORMAT || s.sourceSha256() == null || s.sha256() == null) {
                throw new IOException("format " + s.format() + ", expected " + FORMAT + " with source_sha256 and sha256");
            }
            return s;
        } catch (IOException e) {
            throw new FaceException(ErrorCode.MODEL_MISSING, "int8 sidecar " + file + " is unreadable (" + e.getMessage()
                    .lines().findFirst().orElse("") + "); delete it and run: " + PREPARE + id, e);
        }
    }

    /** Writes atomically, so a reader never sees half a verdict. */
    public void write(Path file) {
        AtomicFiles.write(file, out -> out.write(mapper().writeValueAsBytes(this)));
    }
}
