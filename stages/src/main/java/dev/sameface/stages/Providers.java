package dev.sameface.stages;

import dev.sameface.api.Aligner;
import dev.sameface.api.AlignerProvider;
import dev.sameface.api.Detector;
import dev.sameface.api.DetectorProvider;
import dev.sameface.api.Embedder;
import dev.sameface.api.EmbedderProvider;
import dev.sameface.api.Matcher;
import dev.sameface.api.MatcherProvider;
import dev.sameface.api.OptionSpec;
import dev.sameface.api.StageContext;
import dev.sameface.api.StageOptions;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.api.engine.ModelSpec;

import java.util.List;
import java.util.Map;

/** The built-in stage plugins' providers, each listed in META-INF/services like any third-party plugin. */
public final class Providers {
    private Providers() {
    }

    /** Most faces a detector keeps: far above any real photo, low enough that NMS stays cheap. */
    static final int MAX_TOP_K = 1000;
    /**
     * YuNet's smallest useful longer side: its coarsest head has stride 32, so 64 px leaves it a 2x2 grid and a face
     * filling the image still spans several stride-8 cells. Below that every photo would silently give "no face".
     */
    static final int YUNET_MIN_SIDE = 64;
    /** Largest longer side YuNet is run at: beyond it the input tensor alone passes 200 MB and no face gains. */
    static final int YUNET_MAX_SIDE = 4096;

    /** The options every box detector shares. */
    private static List<OptionSpec> detectorSpecs(String score, String nms, String topK) {
        return List.of(
                OptionSpec.number("score-threshold", score, 0, 1, "confidence below which a candidate face is dropped"),
                OptionSpec.number("nms-threshold", nms, 0, 1, "IoU above which a lower-scored overlapping box is suppressed"),
                OptionSpec.integer("top-k", topK, 1, MAX_TOP_K, "the most faces kept"));
    }

    /** The framing options (see {@link Framing}) every built-in box detector takes, with this detector's defaults. */
    private static List<OptionSpec> framingSpecs(String margin, String retryMargin) {
        return List.of(
                OptionSpec.number("margin", margin, 0, 2,
                        "black border added around the photo before detection, as a fraction of its longer side"),
                OptionSpec.number("retry-margin", retryMargin, 0, 2,
                        "when no face is found, detect once more with this margin (none: no second try)").orKeywords("none"));
    }

    /** The input-size option of the free-size, stride-32 detectors (YuNet, SCRFD). */
    private static OptionSpec maxSideSpec() {
        return OptionSpec.integer("max-side", "640", YUNET_MIN_SIDE, YUNET_MAX_SIDE, "the longer image side is scaled down to this before detection");
    }

    /** The framing these options ask for (package-private: the framed-input benchmark reads the defaults through it). */
    static Framing framing(StageOptions o, boolean letterbox) {
        double retry = "none".equalsIgnoreCase(o.string("retry-margin").trim()) ? -1 : o.number("retry-margin");
        return new Framing(letterbox, o.number("margin"), retry);
    }

    private static List<OptionSpec> concat(List<OptionSpec> a, OptionSpec... b) {
        return concat(a, List.of(b));
    }

    private static List<OptionSpec> concat(List<OptionSpec> a, List<OptionSpec> b) {
        var all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** {@code yunet}: YuNet detector with five landmarks. */
    public static final class YuNet implements DetectorProvider {
        @Override
        public String name() {
            return "yunet";
        }

        @Override
        public String defaultModel() {
            return "yunet-n";
        }

        @Override
        public String description() {
            return "YuNet face detector with 5 landmarks (models yunet-n, yunet-s)";
        }

        @Override
        public List<OptionSpec> optionSpecs() {
            return concat(concat(detectorSpecs("0.6", "0.3", "50"), maxSideSpec(),
                    OptionSpec.flag("upscale", "false", "also scale smaller photos up so the longer side is max-side")),
                    framingSpecs("0", "none"));
        }

        @Override
        public Map<String, String> options() {
            return StageOptions.defaults(optionSpecs());
        }

        @Override
        public Detector create(StageContext ctx) {
            StageOptions o = ctx.options();
            return new YuNetDetector(ctx.modelId(), ctx.loadModel(ctx.modelId()), ctx.modelSpec(ctx.modelId()),
                    o.number("score-threshold"), o.number("nms-threshold"), o.integer("top-k"), o.integer("max-side"),
                    o.flag("upscale"), framing(o, false));
        }
    }

    /**
     * {@code ultralight}: Ultra-Light RFB-320 boxes on the photo framed for pose and tight crops (aspect ratio kept,
     * margin 0.3, retry margin 0.5) and MTCNN's O-Net for the five points, or the 68-point model's points reduced to
     * five ({@code five-points=lids|centres}). The defaults are measured in docs/detectors-measured.md.
     */
    public static final class UltraLight implements DetectorProvider {
        @Override
        public String name() {
            return "ultralight";
        }

        @Override
        public String defaultModel() {
            return "ulfg-rfb-320";
        }

        @Override
        public String description() {
            return "Ultra-Light RFB-320 face boxes + MTCNN O-Net 5 points (or the 68-point model's, reduced to 5); npm- and pip-fetchable";
        }

        @Override
        public List<OptionSpec> optionSpecs() {
            return concat(concat(detectorSpecs("0.7", "0.4", "20"), OptionSpec.text("landmark-model", "fr-landmark-68",
                    "model id of the 68-point landmark model whose points are reduced to five (five-points=lids or centres)"),
                    OptionSpec.flag("letterbox", "true", "keep the photo's aspect ratio in the 320x240 input (black bars) instead of stretching it"),
                    OptionSpec.choice("landmark-crop", "inside", List.of("inside", "as-detected"),
                            "inside: the face box moved into the photo for the landmark model; as-detected: black beyond the photo"),
                    OptionSpec.choice("five-points", "onet", List.of("lids", "centres", "onet"),
                            "lids: eyes from their four lid points, mouth corners outer+inner; centres: eyes from all six points, outer mouth corners; "
                                    + "onet: MTCNN's O-Net on the box instead of the 68-point model (holds on profiles)"),
                    OptionSpec.flag("whole-photo", "true",
                            "when no framing finds a face, ask MTCNN's O-Net whether the whole photo is one (a face filling a tight crop)"),
                    OptionSpec.text("onet-model", "mtcnn-onet", "model id of MTCNN's O-Net, for five-points=onet and whole-photo"),
                    OptionSpec.flag("onet-mirror", "true",
                            "five-points=onet: also run O-Net on the mirrored crops and average the two sets of points (2 more O-Net runs)"),
                    OptionSpec.text("yunet-points", "none",
                            "model id of a YuNet model (e.g. yunet-n) whose five points for the chosen face are averaged with this detector's (none: not used)"),
                    OptionSpec.text("scrfd-points", "none",
                            "model id of an SCRFD model (e.g. scrfd-500m) whose five points for the chosen face are averaged with this detector's (none: not used)")),
                    framingSpecs("0.3", "0.5"));
        }

        @Override
        public Map<String, String> options() {
            return StageOptions.defaults(optionSpecs());
        }

        @Override
        public Detector create(StageContext ctx) {
            StageOptions o = ctx.options();
            String lm = o.string("landmark-model");
            String five = o.string("five-points").trim().toLowerCase(java.util.Locale.ROOT);
            boolean onetPoints = five.equals("onet");
            boolean whole = o.flag("whole-photo");
            String on = o.string("onet-model");
            OnetPoints onet = onetPoints || whole ? new OnetPoints(on, ctx.loadModel(on), ctx.modelSpec(on), o.flag("onet-mirror")) : null;
            // The 68-point model is loaded only when its points are used.
            Detector d = new UltraLightDetector(ctx.modelId(), ctx.loadModel(ctx.modelId()), ctx.modelSpec(ctx.modelId()),
                    lm, onetPoints ? null : ctx.loadModel(lm), ctx.modelSpec(lm),
                    o.number("score-threshold"), o.number("nms-threshold"), o.integer("top-k"),
                    framing(o, o.flag("letterbox")), "inside".equalsIgnoreCase(o.string("landmark-crop").trim()),
                    five.equals("centres"), onet, onetPoints, whole);
            List<Detector> opinions = new java.util.ArrayList<>();
            String yunet = o.string("yunet-points").trim();
            if (!"none".equalsIgnoreCase(yunet)) {
                // With a margin, as YuNet was measured on tight crops (docs/detectors-measured.md).
                opinions.add(secondOpinion(new YuNet(), ctx, yunet, Map.of("margin", "0.2")));
            }
            String scrfd = o.string("scrfd-points").trim();
            if (!"none".equalsIgnoreCase(scrfd)) {
                opinions.add(secondOpinion(new Scrfd(), ctx, scrfd, Map.of()));
            }
            return opinions.isEmpty() ? d : new SecondOpinions(d, opinions);
        }

        /** Another built-in detector on {@code modelId}, with its own defaults and {@code options}, on this stage's engine. */
        private static Detector secondOpinion(DetectorProvider provider, StageContext ctx, String modelId, Map<String, String> options) {
            StageOptions own = StageOptions.of("detector " + provider.name() + " (points for ultralight)", provider.optionSpecs(), options);
            return provider.create(new StageContext() {
                @Override
                public String stage() {
                    return ctx.stage();
                }

                @Override
                public StageOptions options() {
                    return own;
                }

                @Override
                public String modelId() {
                    return modelId;
                }

                @Override
                public ModelSpec modelSpec(String id) {
                    return ctx.modelSpec(id);
                }

                @Override
                public String modelSha256(String id) {
                    return ctx.modelSha256(id);
                }

                @Override
                public dev.sameface.api.engine.CompiledModel loadModel(String id) {
                    return ctx.loadModel(id);
                }
            });
        }
    }

    /** {@code scrfd}: InsightFace's SCRFD with five landmarks (the {@code _bnkps} exports: 0.5g, 2.5g, 10g). */
    public static final class Scrfd implements DetectorProvider {
        @Override
        public String name() {
            return "scrfd";
        }

        @Override
        public String defaultModel() {
            return "scrfd-500m";
        }

        @Override
        public String description() {
            return "SCRFD face detector with 5 landmarks (model scrfd-500m; InsightFace licence: non-commercial research only)";
        }

        /** InsightFace's defaults: score 0.5, NMS 0.4, a 640 px input. Side limits as YuNet's (strides 8 to 32). */
        @Override
        public List<OptionSpec> optionSpecs() {
            return concat(detectorSpecs("0.5", "0.4", "50"), maxSideSpec());
        }

        @Override
        public Map<String, String> options() {
            return StageOptions.defaults(optionSpecs());
        }

        @Override
        public Detector create(StageContext ctx) {
            StageOptions o = ctx.options();
            return new ScrfdDetector(ctx.modelId(), ctx.loadModel(ctx.modelId()), ctx.modelSpec(ctx.modelId()),
                    o.number("score-threshold"), o.number("nms-threshold"), o.integer("top-k"), o.integer("max-side"));
        }
    }

    /** {@code mtcnn}: the MTCNN cascade (P-Net, R-Net, O-Net) with five landmarks; the registry-fetchable detector with landmarks. */
    public static final class Mtcnn implements DetectorProvider {
        @Override
        public String name() {
            return "mtcnn";
        }

        @Override
        public String defaultModel() {
            return "mtcnn-pnet";
        }

        @Override
        public String description() {
            return "MTCNN cascade (P-Net, R-Net, O-Net) with 5 landmarks (models mtcnn-pnet/rnet/onet, pip-fetchable)";
        }

        /**
         * The reference's defaults (min face 20 px, pyramid factor 0.709, thresholds 0.6/0.7/0.7). The smallest face
         * is at least P-Net's 12 px window; the factor below 0.9 keeps the pyramid short, above 0.5 keeps a face
         * within one level of 12 px.
         */
        @Override
        public List<OptionSpec> optionSpecs() {
            return List.of(
                    OptionSpec.number("score-threshold", "0.7", 0, 1, "O-Net face probability below which a face is dropped"),
                    OptionSpec.number("pnet-threshold", "0.6", 0, 1, "P-Net probability below which a pyramid window is dropped"),
                    OptionSpec.number("rnet-threshold", "0.7", 0, 1, "R-Net probability below which a proposal is dropped"),
                    OptionSpec.number("min-face", "20", 12, 4096, "the smallest face side looked for, in image pixels"),
                    OptionSpec.number("scale-factor", "0.709", 0.5, 0.9, "ratio between successive image pyramid levels"),
                    OptionSpec.integer("top-k", "20", 1, MAX_TOP_K, "the most faces kept"),
                    OptionSpec.text("rnet-model", "mtcnn-rnet", "model id of the R-Net (second stage)"),
                    OptionSpec.text("onet-model", "mtcnn-onet", "model id of the O-Net (third stage: boxes and landmarks)"));
        }

        @Override
        public Map<String, String> options() {
            return StageOptions.defaults(optionSpecs());
        }

        @Override
        public Detector create(StageContext ctx) {
            StageOptions o = ctx.options();
            String p = ctx.modelId();
            String r = o.string("rnet-model");
            String out = o.string("onet-model");
            return new MtcnnDetector(p, ctx.loadModel(p), ctx.modelSpec(p), r, ctx.loadModel(r), ctx.modelSpec(r),
                    out, ctx.loadModel(out), ctx.modelSpec(out), o.number("min-face"), o.number("scale-factor"),
                    o.number("pnet-threshold"), o.number("rnet-threshold"), o.number("score-threshold"), o.integer("top-k"));
        }
    }

    /** {@code similarity}: 5-point similarity transform to the ArcFace template. */
    public static final class Similarity implements AlignerProvider {
        @Override
        public String name() {
            return "similarity";
        }

        @Override
        public String description() {
            return "5-point least-squares similarity transform to the ArcFace 112x112 template";
        }

        /** 16 to 1024 px: smaller cannot hold five landmarks apart, larger than any embedder input there is. */
        @Override
        public List<OptionSpec> optionSpecs() {
            return List.of(OptionSpec.integer("size", "112", 16, 1024, "the crop side; must equal the embedder's input size"));
        }

        @Override
        public Map<String, String> options() {
            return StageOptions.defaults(optionSpecs());
        }

        @Override
        public boolean needsModel() {
            return false;
        }

        @Override
        public Aligner create(StageContext ctx) {
            return new SimilarityAligner(ctx.options().integer("size"));
        }
    }

    /** {@code arcface}: ArcFace-style embedder; preprocessing from the manifest, overridable for experiments. */
    public static final class ArcFace implements EmbedderProvider {
        @Override
        public String name() {
            return "arcface";
        }

        @Override
        public String defaultModel() {
            return "fr-feature-512";
        }

        @Override
        public String description() {
            return "ArcFace-style embedder on 5-point aligned crops, optional flip TTA";
        }

        /**
         * mean and scale: finite, and scale not 0, which maps every face to one input and so one vector (everyone
         * "matches"). 1e6 bounds both well beyond any input normalisation (pixels are 0..255).
         */
        @Override
        public List<OptionSpec> optionSpecs() {
            return List.of(
                    OptionSpec.flag("flip-tta", "false", "also embed the mirrored crop and average, renormalised"),
                    OptionSpec.choice("color-order", "manifest", List.of("manifest", "RGB", "BGR"), "channel order of the model input"),
                    OptionSpec.number("mean", "manifest", -1e6, 1e6, "subtracted from every pixel value").orKeywords("manifest"),
                    OptionSpec.number("scale", "manifest", -1e6, 1e6, "multiplies every pixel value after the mean")
                            .except(0).orKeywords("manifest"));
        }

        @Override
        public Map<String, String> options() {
            return StageOptions.defaults(optionSpecs());
        }

        @Override
        public Embedder create(StageContext ctx) {
            StageOptions o = ctx.options();
            ModelSpec manifest = ctx.modelSpec(ctx.modelId());
            ModelSpec spec = prepared(manifest, o);
            String space = ModelSource.fingerprint(ctx.modelId(), ctx.modelSha256(ctx.modelId()), manifest, spec);
            return new ArcFaceEmbedder(ctx.modelId(), space, ctx.loadModel(ctx.modelId()), spec, o.flag("flip-tta"));
        }

        /** Flip TTA averages two vectors of the same space, so it keeps the space; colour order, mean and scale do not. */
        @Override
        public String embeddingSpace(String modelId, String sha256, ModelSpec manifestSpec, StageOptions options) {
            return ModelSource.fingerprint(modelId, sha256, manifestSpec, prepared(manifestSpec, options));
        }

        /** The input preparation these options ask for. Overrides exist to measure what the weights expect (docs/models.md); the manifest holds the answer. */
        private static ModelSpec prepared(ModelSpec s, StageOptions o) {
            ModelSpec.ColorOrder color = "manifest".equalsIgnoreCase(o.string("color-order")) ? s.colorOrder()
                    : parseColor(o.string("color-order"));
            double mean = "manifest".equalsIgnoreCase(o.string("mean")) ? s.mean() : o.number("mean");
            double scale = "manifest".equalsIgnoreCase(o.string("scale")) ? s.scale() : o.number("scale");
            return new ModelSpec(s.id(), color, mean, scale, s.layout(), s.width(), s.height());
        }

        private static ModelSpec.ColorOrder parseColor(String v) {
            try {
                return ModelSpec.ColorOrder.valueOf(v.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new dev.sameface.api.FaceException(dev.sameface.api.ErrorCode.CONFIG_ERROR,
                        "embedder option color-order must be manifest, RGB or BGR, got '" + v + "'", e);
            }
        }
    }

    /** {@code cosine}: cosine similarity. */
    public static final class Cosine implements MatcherProvider {
        @Override
        public String name() {
            return "cosine";
        }

        @Override
        public String description() {
            return "cosine similarity in [-1, 1]";
        }

        @Override
        public boolean needsModel() {
            return false;
        }

        @Override
        public Matcher create(StageContext ctx) {
            return new CosineMatcher();
        }
    }
}
