package dev.sameface.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sameface.api.Embedding;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Point;
import dev.sameface.api.StageOptions;
import dev.sameface.api.Template;
import dev.sameface.api.engine.ModelFormat;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.FaceSelection;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.config.StageConfig;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.registry.StageRegistry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The Python peer's side of {@code bench --peer}: its per-stage timings, and its parity with the Java reference
 * engine on the same photos (embedding cosine, largest landmark distance per photo, photos only one side enrolled).
 */
final class PeerComparison {
    // peer.py's MARGIN and RETRY_MARGIN: the framing it implements.
    private static final double PEER_MARGIN = 0.3;
    private static final double PEER_RETRY_MARGIN = 0.5;
    private final PeerProcess peer;
    private final double[][] stageMs;
    private int timed;
    private Template reference;
    private final List<Double> cosines = new ArrayList<>();
    private final List<Double> landmarkPx = new ArrayList<>();
    private final List<String> disagreements = new ArrayList<>();

    PeerComparison(PeerProcess peer, int capacity) {
        this.peer = peer;
        this.stageMs = new double[6][capacity];
    }

    /**
     * The peer's settings for {@code config}, which must be the pipeline peer.py implements: the default ultralight
     * chain (framed with letterbox, margin 0.3 and retry-margin 0.5, O-Net's five points, the whole-photo fallback;
     * any score and NMS threshold, top-k and O-Net model id, which the peer is given), 112-px similarity alignment,
     * arcface without flip TTA or preprocessing overrides, large-central face selection, cosine.
     */
    static PeerProcess.Settings settings(PipelineConfig config, Path home) {
        StageConfig d = config.detector();
        boolean ultralight = "ultralight".equals(d.plugin()) && (d.model() == null || "ulfg-rfb-320".equals(d.model()));
        StageOptions detector = ultralight
                ? StageOptions.of("detector ultralight", StageRegistry.load().detectors().get("ultralight").options(), d.options()) : null;
        String why = ultralight ? difference(config, detector) : "detector " + d.plugin() + (d.model() == null ? "" : " (" + d.model() + ")");
        if (why != null) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "--peer implements only the default pipeline (ultralight with letterbox, "
                    + "margin 0.3, retry-margin 0.5, five-points onet, whole-photo, onet-mirror; similarity 112; arcface fr-feature-512 without flip "
                    + "TTA; large-central face; cosine), not " + why);
        }
        // The peer's five-point model is O-Net, which also judges the whole photo.
        return new PeerProcess.Settings(home, "ulfg-rfb-320", detector.string("onet-model"), "fr-feature-512",
                detector.number("score-threshold"), detector.number("nms-threshold"), detector.integer("top-k"), true, null);
    }

    /**
     * The peer's settings once {@code reference} (the pipeline the peer is compared with) is built: its embedder runs
     * the int8 copy when the pipeline's does, so that both sides run the same file. Anything else but f32 has no
     * counterpart in Python's ONNX Runtime on a CPU (bf16) and is refused.
     */
    static PeerProcess.Settings forPrecisions(PeerProcess.Settings s, FacePipeline reference, ModelCache cache) {
        String detector = reference.precision("detector");
        String embedder = reference.precision("embedder");
        if (!"f32".equals(detector) || !("f32".equals(embedder) || "int8".equals(embedder))) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "--peer runs the detector in f32 and the embedder in f32 or int8 (its "
                    + "int8 copy), not detector " + detector + " / embedder " + embedder);
        }
        return "int8".equals(embedder)
                ? s.withEmbedderFile(cache.int8Source(s.embedderModel()).files().get(ModelFormat.ONNX))
                : s;
    }

    /** What in {@code config} (its ultralight detector's options {@code o}) peer.py does not implement; null: nothing. */
    private static String difference(PipelineConfig config, StageOptions o) {
        String five = o.string("five-points").trim().toLowerCase(Locale.ROOT);
        String retry = o.string("retry-margin").trim();
        if (!o.flag("letterbox") || o.number("margin") != PEER_MARGIN || "none".equalsIgnoreCase(retry)
                || o.number("retry-margin") != PEER_RETRY_MARGIN || !"onet".equals(five) || !o.flag("whole-photo")
                || !o.flag("onet-mirror")) {
            return "detector ultralight with letterbox=" + o.string("letterbox") + ", margin=" + o.string("margin")
                    + ", retry-margin=" + retry + ", five-points=" + five + ", whole-photo=" + o.string("whole-photo")
                    + ", onet-mirror=" + o.string("onet-mirror");
        }
        if (!"none".equalsIgnoreCase(o.string("yunet-points").trim()) || !"none".equalsIgnoreCase(o.string("scrfd-points").trim())) {
            return "detector ultralight with yunet-points=" + o.string("yunet-points") + ", scrfd-points=" + o.string("scrfd-points");
        }
        StageConfig a = config.aligner();
        if (!"similarity".equals(a.plugin()) || !"112".equals(a.options().getOrDefault("size", "112"))) {
            return "aligner " + a.plugin() + " " + a.options();
        }
        StageConfig e = config.embedder();
        if (!"arcface".equals(e.plugin()) || !(e.model() == null || "fr-feature-512".equals(e.model()))
                || Boolean.parseBoolean(e.options().getOrDefault("flip-tta", "false"))
                || e.options().keySet().stream().anyMatch(k -> !k.equals("flip-tta") && !"manifest".equals(e.options().get(k)))) {
            return "embedder " + e.plugin() + (e.model() == null ? "" : " (" + e.model() + ")") + " " + e.options();
        }
        if (FaceSelection.parse(config.faceSelection()) != FaceSelection.LARGE_CENTRAL || !"cosine".equals(config.matcher().plugin())) {
            return "face-selection " + config.faceSelection() + ", matcher " + config.matcher().plugin();
        }
        return null;
    }

    /** The reference engine's template for the photo {@link #run} is called with next. */
    void reference(Template t) {
        reference = t;
    }

    /** Runs the peer on {@code photo} and compares it with the reference template given before. */
    void run(Path photo) {
        PeerProcess.Result r = peer.enrol(photo);
        Template ref = reference;
        reference = null;
        if (ref == null) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "peer run on " + photo + " without a reference template");
        }
        if (r.failed() != ref.isFailed()) {
            disagreements.add(photo.getFileName() + " (java: " + (ref.isFailed() ? ref.failure() : "enrolled")
                    + ", peer: " + (r.failed() ? r.error() : "enrolled") + ")");
        }
        if (r.failed()) {
            return;
        }
        double[] ms = {r.decodeMs(), r.detectMs(), r.alignMs(), r.embedMs(), r.matchMs(), r.templateMs()};
        for (int s = 0; s < ms.length; s++) {
            stageMs[s][timed] = ms[s];
        }
        timed++;
        if (ref.isFailed()) {
            return;
        }
        // Both unit vectors: their dot product is the cosine.
        cosines.add(ref.embedding().dot(Embedding.normalised(r.embedding())));
        List<Point> p = ref.landmarks().points();
        double worst = 0;
        for (int i = 0; i < p.size(); i++) {
            worst = Math.max(worst, Math.hypot(p.get(i).x() - r.landmarks()[2 * i], p.get(i).y() - r.landmarks()[2 * i + 1]));
        }
        landmarkPx.add(worst);
    }

    /** The peer's timings of stage {@code s} (bench's order: decode, detect, align, embed, match, template), sorted. */
    double[] stageMillis(int s) {
        double[] v = Arrays.copyOf(stageMs[s], timed);
        Arrays.sort(v);
        return v;
    }

    /** Photos both sides enrolled. */
    int compared() {
        return cosines.size();
    }

    double cosineMin() {
        return sorted(cosines)[0];
    }

    double cosineMedian() {
        return BenchCommand.percentile(sorted(cosines), 0.5);
    }

    /** The largest landmark distance (px) of any point on any photo. */
    double landmarkMaxPx() {
        double[] v = sorted(landmarkPx);
        return v[v.length - 1];
    }

    /** The median over photos of each photo's largest landmark distance (px). */
    double landmarkMedianPx() {
        return BenchCommand.percentile(sorted(landmarkPx), 0.5);
    }

    List<String> disagreements() {
        return List.copyOf(disagreements);
    }

    void describe(ObjectNode node, String referenceEngine) {
        node.put("description", peer.describe());
        node.put("templates", timed);
        ObjectNode parity = node.putObject("parity");
        parity.put("reference_engine", referenceEngine);
        parity.put("photos", compared());
        if (compared() > 0) {
            parity.put("cosine_min", cosineMin()).put("cosine_median", cosineMedian())
                    .put("landmark_max_px", landmarkMaxPx()).put("landmark_median_px", landmarkMedianPx());
        }
        var d = parity.putArray("enrolment_disagreements");
        disagreements.forEach(d::add);
    }

    String summary(String referenceEngine) {
        StringBuilder s = new StringBuilder("python peer: " + peer.describe());
        if (compared() == 0) {
            s.append(String.format(Locale.ROOT, "%nparity: no photo enrolled on both sides"));
        } else {
            s.append(String.format(Locale.ROOT, "%nparity with %s on %d photos: embedding cosine min %.6f / median %.6f; landmarks "
                            + "(largest of the 5 points per photo) max %.3f / median %.3f px",
                    referenceEngine, compared(), cosineMin(), cosineMedian(), landmarkMaxPx(), landmarkMedianPx()));
        }
        if (!disagreements.isEmpty()) {
            s.append(String.format(Locale.ROOT, "%nenrolled by one side only: %s", String.join(", ", disagreements)));
        }
        return s.toString();
    }

    private static double[] sorted(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }
}
