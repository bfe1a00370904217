package dev.sameface.frvt;

import dev.sameface.api.Embedding;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.api.Landmarks5;
import dev.sameface.api.Point;
import dev.sameface.api.Template;
import dev.sameface.pipeline.Enrolment;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.models.ModelManifest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * NIST FRVT 1:1's contract over the sameface pipeline, in Java idiom. Single-threaded, one instance per thread (or
 * per process, as NIST runs it); closing it releases the engines, and use after close throws IllegalStateException.
 *
 * <ul>
 * <li>{@link #initialize}: everything comes from the configuration directory, which may be read-only: the pipeline
 * configuration {@value #CONFIG_FILE} (the default pipeline when absent) and the model files under {@code models/}
 * in the model cache's layout ({@code models/<id>/<id>.onnx}; models no registry ships as {@code models/<file>}).
 * Nothing is fetched and nothing is written there.</li>
 * <li>{@link #createFaceTemplate}: always returns template bytes. The photos are of one person; their good
 * embeddings are fused into one template by their normalised mean (each photo weighs the same). A photo without a
 * face, or with a face found with less than {@link #CONFIDENT} confidence, is also tried turned by 90 and 180 degrees. When no photo gives a face the template is a <em>failed</em>
 * one that records why, and the return code says it.</li>
 * <li>{@link #matchTemplates}: the cosine similarity mapped monotonically onto [0, 1] as {@code (1 + cos) / 2}
 * (NIST requires non-negative scores; the order of scores, hence any threshold, is unchanged); a failed template on
 * either side scores -1 with {@link ReturnCode#VERIF_TEMPLATE_ERROR}, a corrupt or foreign one -1 with
 * {@link ReturnCode#TEMPLATE_FORMAT_ERROR}.</li>
 * </ul>
 */
public final class Frvt11 implements AutoCloseable {
    /** The pipeline configuration inside the configuration directory. */
    public static final String CONFIG_FILE = "sameface.yaml";
    /**
     * A detection score at or above which the upright image is taken as it is. The default detector also finds faces
     * turned by 90 or 180 degrees, upright, with scores of 0.76-0.997 and misplaced landmarks, while the correct
     * orientation scores 1.000 (measured on LFW photos turned each way); below this, every turn is tried and the most
     * confident one wins.
     */
    static final double CONFIDENT = 0.999;
    /** The score of a comparison that could not be made. */
    public static final double NO_SCORE = -1;

    private final FacePipeline pipeline;
    private boolean closed;

    private Frvt11(FacePipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * Builds the pipeline from {@code configDir}. Throws rather than returning a half-made instance: NIST's
     * {@code initialize} return code is {@code ReturnCode.of(e.code())} of the exception.
     *
     * @throws FaceException CONFIG_ERROR when the directory, its configuration or its models are unusable, or the
     *                       configuration asks for more than one thread
     */
    public static Frvt11 initialize(Path configDir) {
        if (!Files.isDirectory(configDir)) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "FRVT configuration directory " + configDir + " does not exist");
        }
        Path file = configDir.resolve(CONFIG_FILE);
        PipelineConfig config = Files.isRegularFile(file) ? PipelineConfig.load(file) : PipelineConfig.defaults();
        if (config.threads() != 1) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, file + " asks for " + config.threads()
                    + " threads; FRVT runs each process on one thread (threads: 1)");
        }
        ModelCache cache = new ModelCache(ModelManifest.load(), configDir, List.of(configDir.resolve("models")));
        return new Frvt11(Pipelines.create(config, cache));
    }

    /** The similarity at or above which two templates are decided the same person (the configured threshold, mapped). */
    public double threshold() {
        ensureOpen();
        return toSimilarity(pipeline.threshold());
    }

    /** The pipeline underneath, for callers that need its description or fingerprint. */
    public FacePipeline pipeline() {
        ensureOpen();
        return pipeline;
    }

    /**
     * One template from one or more photos of one person. Never throws for a bad photo: its failure is in the
     * result. A photo that cannot be used gets an unassigned {@link EyePair}; the template is good when at least one
     * photo gave a face, and its return code is then success.
     */
    public TemplateResult createFaceTemplate(List<FaceImage> faces, TemplateRole role) {
        ensureOpen();
        if (faces == null || faces.isEmpty()) {
            return failed(ErrorCode.NO_FACE, ReturnCode.NUM_DATA_ERROR, List.of(), "no images given");
        }
        List<EyePair> eyes = new ArrayList<>();
        List<Embedding> good = new ArrayList<>();
        Landmarks5 firstLandmarks = null;
        ErrorCode firstFailure = null;
        String firstReason = null;
        for (FaceImage face : faces) {
            Found found;
            try {
                found = find(face.image());
            } catch (FaceException e) {
                eyes.add(EyePair.UNASSIGNED);
                if (firstFailure == null) {
                    firstFailure = e.code();
                    firstReason = e.getMessage();
                }
                continue;
            }
            if (found == null) {
                eyes.add(EyePair.UNASSIGNED);
                if (firstFailure == null) {
                    firstFailure = ErrorCode.NO_FACE;
                    firstReason = "no face found in a " + face.image().width() + "x" + face.image().height() + " image, upright or turned";
                }
                continue;
            }
            eyes.add(EyePair.of(found.subjectLeftEye(), found.subjectRightEye(), face.image().width(), face.image().height()));
            good.add(found.template().embedding());
            if (firstLandmarks == null) {
                firstLandmarks = found.template().landmarks();
            }
        }
        if (good.isEmpty()) {
            return failed(firstFailure, ReturnCode.of(firstFailure), eyes, firstReason);
        }
        Template fused = Template.of(pipeline.modelFingerprint(), fuse(good), firstLandmarks);
        return new TemplateResult(ReturnCode.SUCCESS, pipeline.encode(fused), eyes, null);
    }

    /**
     * The failed template for {@code images} photos that could not be read or decoded (NIST's harness decodes images
     * itself; a harness that reads files reports here why it has none to give).
     */
    public TemplateResult failedTemplate(ErrorCode why, int images, String reason) {
        ensureOpen();
        return failed(why, ReturnCode.of(why), java.util.Collections.nCopies(images, EyePair.UNASSIGNED), reason);
    }

    /**
     * The similarity of a verification and an enrolment template in [0, 1], or -1 with the reason when either is
     * failed, corrupt, truncated or from another model.
     */
    public MatchResult matchTemplates(byte[] verifTemplate, byte[] enrollTemplate) {
        ensureOpen();
        Template v;
        Template e;
        try {
            v = pipeline.decode(verifTemplate);
            e = pipeline.decode(enrollTemplate);
        } catch (FaceException ex) {
            return new MatchResult(NO_SCORE, ReturnCode.of(ex.code()), ex.getMessage());
        }
        if (v.isFailed() || e.isFailed()) {
            return new MatchResult(NO_SCORE, ReturnCode.VERIF_TEMPLATE_ERROR, (v.isFailed() ? "verification" : "enrolment")
                    + " template is a failed one (" + (v.isFailed() ? v : e).failure() + ")");
        }
        try {
            return new MatchResult(toSimilarity(pipeline.similarity(v, e)), ReturnCode.SUCCESS, null);
        } catch (FaceException ex) {
            return new MatchResult(NO_SCORE, ReturnCode.of(ex.code()), ex.getMessage());
        }
    }

    /** Cosine in [-1, 1] to NIST's non-negative similarity; monotone, so decisions at any threshold are unchanged. */
    static double toSimilarity(double cosine) {
        return Math.max(0, (1 + cosine) / 2);
    }

    /** How {@link #createFaceTemplate} fuses photos: the normalised mean of unit vectors, the direction closest on average to each. */
    public static Embedding fuse(List<Embedding> embeddings) {
        if (embeddings.size() == 1) {
            return embeddings.getFirst();
        }
        float[] sum = new float[embeddings.getFirst().dimension()];
        for (Embedding e : embeddings) {
            float[] v = e.vector();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += v[i];
            }
        }
        return Embedding.normalised(sum);
    }

    private TemplateResult failed(ErrorCode why, ReturnCode code, List<EyePair> eyes, String reason) {
        return new TemplateResult(code, pipeline.encode(Template.failed(pipeline.modelFingerprint(), why)), eyes, reason);
    }

    /** A face in the input's own pixels: the template and the subject's eyes; null when none, upright or turned. */
    private record Found(Template template, Point subjectLeftEye, Point subjectRightEye) {
    }

    private Found find(Image image) {
        Enrolment upright = pipeline.enrol(image);
        if (!upright.template().isFailed() && upright.selected().score() >= CONFIDENT) {
            Landmarks5 l = upright.selected().landmarks();
            return new Found(upright.template(), l.subjectLeftEye(), l.subjectRightEye());
        }
        // Every turn is tried and the most confident face wins (upright on a tie).
        Enrolment best = upright.template().isFailed() ? null : upright;
        Rotation bestTurn = null;
        for (Rotation r : Rotation.values()) {
            Enrolment turned = pipeline.enrol(r.apply(image));
            if (!turned.template().isFailed() && (best == null || turned.selected().score() > best.selected().score())) {
                best = turned;
                bestTurn = r;
            }
        }
        if (best == null) {
            return null;
        }
        Landmarks5 l = best.selected().landmarks();
        if (bestTurn == null) {
            return new Found(best.template(), l.subjectLeftEye(), l.subjectRightEye());
        }
        Point left = bestTurn.back(l.subjectLeftEye().x(), l.subjectLeftEye().y(), image.width(), image.height());
        Point right = bestTurn.back(l.subjectRightEye().x(), l.subjectRightEye().y(), image.width(), image.height());
        return new Found(best.template(), left, right);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("Frvt11 is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
        pipeline.close();
    }
}
