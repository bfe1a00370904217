package dev.sameface.pipeline;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Matcher;
import dev.sameface.api.Template;
import dev.sameface.api.TemplateCodec;
import dev.sameface.api.TemplateProtection;

import java.util.List;

/**
 * Compares templates the way a configuration says: its matcher, its threshold, and the check that both templates
 * live in its embedder's embedding space. Holds no detector and no embedder, so comparing two stored templates
 * ({@code sameface match}) loads no model; {@link FacePipeline} compares through one too. Thread-safe as long as
 * the matcher is (the {@link Matcher} contract says it is). Use after close throws IllegalStateException.
 */
public final class TemplateComparator implements AutoCloseable {
    private final Matcher matcher;
    private final String matcherName;
    private final String embeddingSpace;
    private final Double threshold;
    private final Resources resources;
    private final TemplateProtection protection;
    private volatile boolean closed;

    /**
     * @param embeddingSpace the model fingerprint templates must carry (the configured embedder's)
     * @param threshold      the configured threshold, or null when the configuration has none
     * @param resources      what building the matcher opened (closed with this comparator); null when a pipeline owns it
     * @param protection     how template bytes are protected (the configuration's {@code templates:} section)
     */
    TemplateComparator(Matcher matcher, String matcherName, String embeddingSpace, Double threshold, Resources resources,
                       TemplateProtection protection) {
        this.protection = protection;
        this.matcher = matcher;
        this.matcherName = matcherName;
        this.embeddingSpace = embeddingSpace;
        this.threshold = threshold;
        this.resources = resources;
    }

    /** A template's bytes as this configuration writes them: with its key's MAC or encryption, or plain. */
    public byte[] encode(Template t) {
        return TemplateCodec.encode(t, protection);
    }

    /**
     * Reads template bytes as this configuration accepts them: with a key, only unaltered templates protected with
     * it; without one, only plain templates. Anything else is a {@link ErrorCode#TEMPLATE_FORMAT_ERROR}.
     */
    public Template decode(byte[] bytes) {
        return TemplateCodec.decode(bytes, protection);
    }

    /** The configured matcher plugin's name, e.g. {@code cosine}. */
    public String matcherName() {
        return matcherName;
    }

    /** The configured matcher, for callers that score many embeddings themselves (the evaluation). */
    public Matcher matcher() {
        ensureOpen();
        return matcher;
    }

    /** The model fingerprint of the templates this comparator accepts. */
    public String embeddingSpace() {
        return embeddingSpace;
    }

    /** The configured decision threshold, or a CONFIG_ERROR when the configuration has none. */
    public double threshold() {
        if (threshold == null) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "the configuration has no threshold; calibrate one with: sameface calibrate");
        }
        return threshold;
    }

    /**
     * The similarity of two good templates of this embedding space. A failed template, or one from another model,
     * is an error here, never a number; {@link #verify} turns a failed template into "different".
     */
    public double similarity(Template a, Template b) {
        ensureOpen();
        for (Template t : List.of(a, b)) {
            if (!t.modelFingerprint().equals(embeddingSpace)) {
                throw new FaceException(ErrorCode.TEMPLATE_MISMATCH, "template was made by model " + t.modelFingerprint()
                        + ", this pipeline uses " + embeddingSpace + "; re-enrol the image with this pipeline");
            }
            if (t.isFailed()) {
                throw new FaceException(t.failure(), "template is a failed enrolment (" + t.failure() + "); it matches nothing");
            }
        }
        return matcher.similarity(a.embedding(), b.embedding());
    }

    /** Compares two templates against the configured threshold. */
    public Verification verify(Template a, Template b) {
        StageTimings none = new StageTimings(0, 0, 0, 0);
        return decide(new Enrolment(a, List.of(), null, none), new Enrolment(b, List.of(), null, none));
    }

    /** The decision on two enrolments: a failed one is "different" with its reason (NIST's convention). */
    Verification decide(Enrolment ea, Enrolment eb) {
        double t = threshold();
        for (var e : List.of(ea, eb)) {
            if (e.template().isFailed()) {
                String which = e == ea ? "first" : "second";
                return new Verification(Double.NaN, t, false, which + " image: " + reason(e.template().failure()), ea, eb, 0);
            }
        }
        long t0 = System.nanoTime();
        double s = similarity(ea.template(), eb.template());
        long dt = System.nanoTime() - t0;
        return new Verification(s, t, s >= t, s >= t ? "score at or above threshold" : "score below threshold", ea, eb, dt);
    }

    private static String reason(ErrorCode code) {
        return switch (code) {
            case NO_FACE -> "no face found";
            case IMAGE_DECODE_ERROR -> "not a readable image";
            case IMAGE_SIZE_REFUSED -> "image size refused";
            case INPUT_LOCATION_ERROR -> "file not found or unreadable";
            default -> code.name();
        };
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("template comparator is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
        if (resources != null) {
            resources.close();
        }
    }
}
