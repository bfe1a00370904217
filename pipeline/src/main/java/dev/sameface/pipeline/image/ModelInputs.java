package dev.sameface.pipeline.image;

import dev.sameface.api.Image;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.api.engine.Tensor;
import dev.sameface.kit.ImageOps;

/**
 * Realistic inputs for one model at a time, for benchmarks and engine parity checks that run a model without its
 * stage: real photos prepared exactly as the model's manifest entry says, through {@link ImageOps}. Not an
 * alignment: engines need the same realistic pixels, not a correct crop.
 */
public final class ModelInputs {
    private ModelInputs() {
    }

    /**
     * A detector sees the whole photo (stretched to a fixed input, as the ultralight stage does; scaled to fit and
     * zero-padded for a dynamic input, as the yunet stage does); other models see the centre square of half the
     * photo's side, where a portrait's face is.
     *
     * @param width  the input width; for a dynamic model, the size to run it at
     * @param height the input height
     */
    public static Tensor fromPhoto(Image img, boolean detector, ModelSpec spec, int width, int height) {
        boolean dynamic = spec.width() == 0 || spec.height() == 0;
        if (detector && dynamic) {
            double s = Math.min((double) width / img.width(), (double) height / img.height());
            return ImageOps.toTensor(img, 0, 0, width / s, height / s, width, height, spec);
        }
        if (detector) {
            return ImageOps.toTensor(img, 0, 0, img.width(), img.height(), width, height, spec);
        }
        double side = Math.min(img.width(), img.height()) / 2.0;
        return ImageOps.toTensor(img, (img.width() - side) / 2, (img.height() - side) / 2, side, side, width, height, spec);
    }
}
