package dev.sameface.pipeline;

import dev.sameface.api.AlignedFace;
import dev.sameface.api.Aligner;
import dev.sameface.api.DetectedFace;
import dev.sameface.api.Detector;
import dev.sameface.api.Embedder;
import dev.sameface.api.Embedding;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.api.Matcher;
import dev.sameface.api.Template;
import dev.sameface.api.TemplateProtection;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.config.StageConfig;
import dev.sameface.pipeline.image.ImageDecoder;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * detect -> select -> align -> embed, then match. One image in, one {@link Template} out; two templates in, one
 * score out. Not thread-safe: use one pipeline per thread (each is single-threaded inside, as FRVT requires).
 * Closing it releases every engine and model it opened; use after close throws IllegalStateException.
 */
public final class FacePipeline implements AutoCloseable {
    private final PipelineConfig config;
    private final Detector detector;
    private final Aligner aligner;
    private final Embedder embedder;
    private final TemplateComparator comparator;
    private final Engines engines;
    private final Resources resources;
    private final FaceSelection selection;
    private final ImageDecoder decoder = ImageDecoder.DEFAULT;
    private final PipelineIdentity identity;
    private final String fingerprint;
    private volatile boolean closed;

    @Inject
    FacePipeline(PipelineConfig config, Detector detector, Aligner aligner, Embedder embedder, Matcher matcher,
                 Engines engines, Resources resources, TemplateProtection protection) {
        this.config = config;
        this.detector = detector;
        this.aligner = aligner;
        this.embedder = embedder;
        // The resources are the pipeline's: the comparator must not close them on its own.
        this.comparator = new TemplateComparator(matcher, config.matcher().plugin(), embedder.fingerprint(), config.threshold(), null, protection);
        this.engines = engines;
        this.resources = resources;
        this.selection = FaceSelection.parse(config.faceSelection());
        // Fail at start-up, not on the first image, when the aligner's crop does not fit the embedder (0: it does not say).
        int size = aligner.cropSize();
        if (size != 0 && size != embedder.cropSize()) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "aligner crop size " + size + " does not match the embedder's input "
                    + embedder.cropSize());
        }
        this.identity = engines.identity(config);
        this.fingerprint = identity.fingerprint(embedder.fingerprint());
    }

    /** The precision a stage's models run in ({@code f32}, {@code bf16} or {@code int8}; {@code auto} resolved). */
    public String precision(String stage) {
        return engines.precision(stage).precision().id();
    }

    /** The configuration this pipeline was built from. */
    public PipelineConfig config() {
        return config;
    }

    /** The embedding space: templates with the same model fingerprint can be compared. */
    public String modelFingerprint() {
        return embedder.fingerprint();
    }

    /**
     * Everything that changes a template, resolved and in canonical form: stores, caches and reports key on this,
     * never on {@link #describe()}, whose text carries when and why {@code auto} chose an engine.
     */
    public PipelineIdentity identity() {
        return identity;
    }

    /** For people and file names: the embedder's fingerprint plus the first 12 hex digits of {@link #identity()}'s hash. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Whether the embedder also embeds the mirrored crop (flip TTA), as the embedder itself says. */
    public boolean mirrorsCrops() {
        ensureOpen();
        return embedder.mirrors();
    }

    /** The configured decision threshold, or a CONFIG_ERROR when the configuration has none. */
    public double threshold() {
        return comparator.threshold();
    }

    /** One line per stage: plugin, model, engine and its version. */
    public String describe() {
        ensureOpen();
        StringBuilder sb = new StringBuilder();
        // Configured options are named (in key order) so that two pipelines that decide differently never read alike.
        sb.append("detector ").append(config.detector().plugin()).append(" (").append(config.detector().model())
                .append(options(config.detector(), Set.of())).append(")")
                .append(", face selection ").append(config.faceSelection())
                .append(", aligner ").append(config.aligner().plugin()).append(parenthesised(options(config.aligner(), Set.of())))
                .append(", embedder ").append(config.embedder().plugin()).append(" (").append(config.embedder().model())
                .append(", flip-tta ").append(embedder.mirrors()).append(options(config.embedder(), Set.of("flip-tta"))).append(")")
                .append(", matcher ").append(config.matcher().plugin()).append(parenthesised(options(config.matcher(), Set.of())));
        List<String> stages = List.of("detector", "embedder");
        if (stages.stream().allMatch(s -> engines.precision(s).precision() == dev.sameface.pipeline.config.Precision.F32
                && !engines.precision(s).reason().startsWith("auto"))) {
            sb.append("; precision f32");
        } else {
            for (String stage : stages) {
                var p = engines.precision(stage);
                sb.append("; ").append(stage).append(" precision ").append(p.precision()).append(" (").append(p.reason()).append(")");
            }
        }
        engines.descriptions().forEach((k, v) -> sb.append("; ").append(v));
        return sb.toString();
    }

    /** ", key value" for each option the configuration sets on a stage, in key order, leaving out {@code shown}. */
    private static String options(StageConfig stage, Set<String> shown) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(stage.options()).forEach((k, v) -> {
            if (!shown.contains(k)) {
                sb.append(", ").append(k).append(' ').append(v);
            }
        });
        return sb.toString();
    }

    private static String parenthesised(String options) {
        return options.isEmpty() ? "" : " (" + options.substring(2) + ")";
    }

    /**
     * The subject's aligned crop, exactly as the embedder receives it (set-up tooling uses it to calibrate a
     * quantised embedder on real inputs); empty when the photo is unreadable or shows no face.
     */
    public Optional<AlignedFace> alignedSubject(Path image) {
        ensureOpen();
        byte[] bytes;
        try {
            bytes = ImageDecoder.read(image);
        } catch (FaceException e) {
            return Optional.empty();
        }
        return alignedSubject(bytes, image.toString());
    }

    /** As {@link #alignedSubject(Path)}, for an image already in memory (the HTTP server shows the crop it embeds). */
    public Optional<AlignedFace> alignedSubject(byte[] bytes, String name) {
        ensureOpen();
        Image rgb;
        try {
            rgb = decoder.decode(bytes, name).toRgb();
        } catch (FaceException e) {
            return Optional.empty();
        }
        return selection.select(detector.detect(rgb), rgb).map(face -> aligner.align(rgb, face));
    }

    /**
     * Enrols one image file, read through {@link dev.sameface.pipeline.image.InputFiles} (a regular file within the
     * input size cap).
     *
     * @throws FaceException INPUT_LOCATION_ERROR, IMAGE_DECODE_ERROR or IMAGE_SIZE_REFUSED, with the reader's or
     *                       decoder's reason, for an input that cannot be read or decoded
     */
    public Enrolment enrol(Path image) {
        ensureOpen();
        return enrol(ImageDecoder.read(image), image.toString());
    }

    /**
     * Enrols one image. The rule, the same in every command: an input that cannot be read or decoded (or is refused
     * for its size) is an error, thrown with the decoder's reason; only a readable image without a usable face gives
     * a <em>failed</em> template (NIST's convention), which {@link #verify} decides "different". Engine and model
     * failures throw too.
     */
    public Enrolment enrol(byte[] bytes, String name) {
        ensureOpen();
        long t0 = System.nanoTime();
        Image image = decoder.decode(bytes, name);
        return enrol(image, t0);
    }

    /**
     * Enrols a decoded image (raw pixels, as NIST's FRVT API hands them over): a failed template when no usable face
     * is found, as for {@link #enrol(byte[], String)}; the decode time is zero.
     */
    public Enrolment enrol(Image image) {
        ensureOpen();
        return enrol(image, System.nanoTime());
    }

    private Enrolment enrol(Image image, long t0) {
        long t1 = System.nanoTime();
        Image rgb = image.toRgb();
        // Selection needs boxes only, so the detector's per-face landmark work runs once, for the chosen face.
        List<DetectedFace> boxes = detector.detectBoxes(rgb);
        Optional<DetectedFace> choice = selection.select(boxes, rgb);
        if (choice.isEmpty()) {
            return new Enrolment(Template.failed(embedder.fingerprint(), ErrorCode.NO_FACE), boxes, null,
                    new StageTimings(t1 - t0, System.nanoTime() - t1, 0, 0));
        }
        DetectedFace subject = detector.refine(rgb, choice.get());
        List<DetectedFace> faces = new ArrayList<>(boxes);
        faces.set(boxes.indexOf(choice.get()), subject);
        long t2 = System.nanoTime();
        AlignedFace aligned = aligner.align(rgb, subject);
        long t3 = System.nanoTime();
        Embedding e = embedder.embed(aligned);
        long t4 = System.nanoTime();
        return new Enrolment(Template.of(embedder.fingerprint(), e, subject.landmarks()), faces, subject,
                new StageTimings(t1 - t0, t2 - t1, t3 - t2, t4 - t3));
    }

    public Template createTemplate(Path image) {
        return enrol(image).template();
    }

    public Template createTemplate(byte[] bytes, String name) {
        return enrol(bytes, name).template();
    }

    /**
     * The similarity of two good templates of this pipeline's embedding space. A failed template, or one from
     * another model, is an error here, never a number; {@link #verify} turns a failed template into "different".
     */
    public double similarity(Template a, Template b) {
        ensureOpen();
        return comparator.similarity(a, b);
    }

    /** A template's bytes as this configuration writes them (see {@link TemplateComparator#encode}). */
    public byte[] encode(Template t) {
        ensureOpen();
        return comparator.encode(t);
    }

    /** Reads template bytes as this configuration accepts them (see {@link TemplateComparator#decode}). */
    public Template decode(byte[] bytes) {
        ensureOpen();
        return comparator.decode(bytes);
    }

    /** Compares two templates against the configured threshold. */
    public Verification verify(Template a, Template b) {
        ensureOpen();
        return comparator.verify(a, b);
    }

    /** Enrols two images and decides whether they show the same person. */
    public Verification verify(Path a, Path b) {
        return comparator.decide(enrol(a), enrol(b));
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("pipeline is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
        resources.close();
    }
}
