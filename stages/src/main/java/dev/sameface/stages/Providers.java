package dev.sameface.stages;

import dev.sameface.api.Aligner;
import dev.sameface.api.AlignerProvider;
import dev.sameface.api.Detector;
import dev.sameface.api.DetectorProvider;
import dev.sameface.api.Embedder;
import dev.sameface.api.EmbedderProvider;
import dev.sameface.api.Matcher;
import dev.sameface.api.MatcherProvider;
import dev.sameface.api.StageContext;
import dev.sameface.api.StageOptions;
import dev.sameface.api.engine.ModelSpec;

import java.util.Map;

/** The built-in stage plugins' providers, each listed in META-INF/services like any third-party plugin. */
public final class Providers {
    private Providers() {
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
        public Map<String, String> options() {
            return Map.of("score-threshold", "0.6", "nms-threshold", "0.3", "top-k", "50", "max-side", "640");
        }

        @Override
        public Detector create(StageContext ctx) {
            StageOptions o = ctx.options();
            return new YuNetDetector(ctx.modelId(), ctx.loadModel(ctx.modelId()), ctx.modelSpec(ctx.modelId()),
                    o.number("score-threshold"), o.number("nms-threshold"), o.integer("top-k"), o.integer("max-side"));
        }
    }

    /** {@code ultralight}: Ultra-Light RFB-320 boxes + 68-point landmarks reduced to five. */
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
            return "Ultra-Light RFB-320 face boxes + 68-point landmark model reduced to 5 points (npm-fetchable)";
        }

        @Override
        public Map<String, String> options() {
            return Map.of("score-threshold", "0.7", "nms-threshold", "0.4", "top-k", "20", "landmark-model", "fr-landmark-68");
        }

        @Override
        public Detector create(StageContext ctx) {
            StageOptions o = ctx.options();
            String lm = o.string("landmark-model");
            return new UltraLightDetector(ctx.modelId(), ctx.loadModel(ctx.modelId()), ctx.modelSpec(ctx.modelId()),
                    lm, ctx.loadModel(lm), ctx.modelSpec(lm),
                    o.number("score-threshold"), o.number("nms-threshold"), o.integer("top-k"));
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

        @Override
        public Map<String, String> options() {
            return Map.of("size", "112");
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

        @Override
        public Map<String, String> options() {
            return Map.of("flip-tta", "false", "color-order", "manifest", "mean", "manifest", "scale", "manifest");
        }

        @Override
        public Embedder create(StageContext ctx) {
            StageOptions o = ctx.options();
            ModelSpec s = ctx.modelSpec(ctx.modelId());
            // Overrides exist to measure what the weights expect (docs/models.md); the manifest holds the answer.
            ModelSpec.ColorOrder color = "manifest".equals(o.string("color-order")) ? s.colorOrder()
                    : parseColor(o.string("color-order"));
            double mean = "manifest".equals(o.string("mean")) ? s.mean() : o.number("mean");
            double scale = "manifest".equals(o.string("scale")) ? s.scale() : o.number("scale");
            ModelSpec spec = new ModelSpec(s.id(), color, mean, scale, s.layout(), s.width(), s.height());
            return new ArcFaceEmbedder(ctx.modelId(), ctx.modelSha256(ctx.modelId()), ctx.loadModel(ctx.modelId()), spec, o.flag("flip-tta"));
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
