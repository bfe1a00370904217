package dev.sameface.api.engine;

/**
 * How a model wants its input, from the model's manifest entry, so that no engine or stage hard-codes it.
 * A pixel value v (0..255) of channel c becomes {@code (v - mean) * scale}, channels in {@link #colorOrder()}.
 *
 * @param id         manifest id
 * @param colorOrder RGB, BGR or GRAY
 * @param mean       subtracted from every channel
 * @param scale      multiplied after subtracting the mean
 * @param layout     NCHW or NHWC
 * @param width      input width the model is meant for (0 if dynamic)
 * @param height     input height (0 if dynamic)
 */
public record ModelSpec(String id, ColorOrder colorOrder, double mean, double scale, Layout layout, int width, int height) {
    public enum ColorOrder { RGB, BGR, GRAY }

    public enum Layout { NCHW, NHWC }
}
