package dev.sameface.examples.retinaface;

import dev.sameface.api.Detector;
import dev.sameface.api.DetectorProvider;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.OptionSpec;
import dev.sameface.api.StageContext;
import dev.sameface.api.StageOptions;

import java.util.List;
import java.util.Map;

/**
 * The {@code retinaface} detector plugin. Found by {@link java.util.ServiceLoader} because this jar lists it in
 * {@code META-INF/services/dev.sameface.api.DetectorProvider}; its model entry ({@code retinaface-mnet025}) comes
 * from this jar's {@code META-INF/sameface/manifest.yaml}. Use it with one configuration line:
 * {@code detector: {plugin: retinaface, model: retinaface-mnet025}}.
 */
public final class RetinaFaceDetectorProvider implements DetectorProvider {
    @Override
    public String name() {
        return "retinaface";
    }

    @Override
    public String description() {
        return "RetinaFace MobileNet-0.25 face detector with 5 landmarks (model retinaface-mnet025; examples plugin)";
    }

    /**
     * Every option the plugin reads, with its type, range and default: the pipeline rejects any other key, and any
     * value out of range, at start-up, before the model loads.
     */
    @Override
    public List<OptionSpec> optionSpecs() {
        return List.of(
                OptionSpec.number("score-threshold", "0.6", 0, 1, "confidence below which a candidate face is dropped"),
                OptionSpec.number("nms-threshold", "0.4", 0, 1, "IoU above which a lower-scored overlapping box is suppressed"),
                OptionSpec.integer("top-k", "50", 1, 1000, "the most faces kept"),
                // RetinaFace heads have strides 8, 16 and 32: 64 px keeps the coarsest a 2x2 grid, as for YuNet.
                OptionSpec.integer("max-side", "640", 64, 4096, "the longer image side is scaled down to this before detection"),
                // B, G, R: the training means of Pytorch_Retinaface; one value per channel, so not in the manifest's scalar mean.
                OptionSpec.text("channel-means", "104,117,123", "subtracted per tensor channel, B, G, R"));
    }

    @Override
    public Map<String, String> options() {
        return StageOptions.defaults(optionSpecs());
    }

    @Override
    public Detector create(StageContext ctx) {
        StageOptions o = ctx.options();
        String id = ctx.modelId();
        return new RetinaFaceDetector(id, ctx.loadModel(id), ctx.modelSpec(id), channelMeans(o.string("channel-means")),
                o.number("score-threshold"), o.number("nms-threshold"), o.integer("top-k"), o.integer("max-side"));
    }

    private static float[] channelMeans(String v) {
        String[] parts = v.split(",");
        if (parts.length != 3) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "detector 'retinaface' option channel-means needs three numbers, got '" + v + "'");
        }
        float[] m = new float[3];
        for (int i = 0; i < 3; i++) {
            try {
                m[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, "detector 'retinaface' option channel-means needs three numbers, got '" + v + "'", e);
            }
        }
        return m;
    }
}
