package dev.sameface.examples.retinaface;

import dev.sameface.api.Detector;
import dev.sameface.api.DetectorProvider;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.StageContext;
import dev.sameface.api.StageOptions;

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

    /** Every option the plugin reads, with its default; the pipeline rejects any other key. */
    @Override
    public Map<String, String> options() {
        return Map.of(
                "score-threshold", "0.6",
                "nms-threshold", "0.4",
                "top-k", "50",
                "max-side", "640",
                // B, G, R: the training means of Pytorch_Retinaface; one value per channel, so not in the manifest's scalar mean.
                "channel-means", "104,117,123");
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
