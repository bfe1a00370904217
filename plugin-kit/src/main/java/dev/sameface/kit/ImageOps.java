package dev.sameface.kit;

import dev.sameface.api.Image;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.api.engine.Tensor;

/** Resampling and tensor packing shared by all stage plugins, so each model's preprocessing is one call. */
public final class ImageOps {
    private ImageOps() {
    }

    /**
     * Writes the region (sx, sy, sw, sh) of {@code img}, resampled bilinearly to {@code dw} x {@code dh}, into a
     * [1, C, dh, dw] (NCHW) or [1, dh, dw, C] (NHWC) tensor prepared as {@code spec} says. Pixels outside the image
     * read as 0, like OpenCV's constant border. The region may be larger than the target (downscale) or smaller.
     */
    public static Tensor toTensor(Image img, double sx, double sy, double sw, double sh, int dw, int dh, ModelSpec spec) {
        // A packer of its own, so the tensor is the caller's; stages keep one TensorPacker and reuse its tensor.
        return new TensorPacker(spec).pack(img, sx, sy, sw, sh, dw, dh);
    }

    /**
     * An input for a detector with a dynamic input size: the image scaled down (never up) so that its longer side is
     * at most {@code maxSide}, then zero-padded at the right and bottom to multiples of {@code multiple}, as OpenCV's
     * FaceDetectorYN and libfacedetection prepare YuNet and RetinaFace.
     *
     * @param tensor the [1, C, height, width] (or NHWC) input
     * @param scale  input pixels per source pixel: divide network coordinates by it to get image coordinates
     */
    public record Padded(Tensor tensor, double scale, int width, int height) {
    }

    public static Padded scaledAndPadded(Image image, int maxSide, int multiple, ModelSpec spec) {
        return scaledAndPadded(image, maxSide, multiple, new TensorPacker(spec));
    }

    /** The same into {@code packer}'s own tensor, reused from one image to the next (see {@link TensorPacker}). */
    public static Padded scaledAndPadded(Image image, int maxSide, int multiple, TensorPacker packer) {
        double scale = Math.min(1.0, (double) maxSide / Math.max(image.width(), image.height()));
        int w = (int) Math.round(image.width() * scale);
        int h = (int) Math.round(image.height() * scale);
        int pw = (w + multiple - 1) / multiple * multiple;
        int ph = (h + multiple - 1) / multiple * multiple;
        // Sampling the padded area from the source at the same scale reads zeros beyond the image: the padding.
        return new Padded(packer.pack(image, 0, 0, pw / scale, ph / scale, pw, ph), scale, pw, ph);
    }

    /** Bilinear sample of all channels at (x, y) into {@code out} (RGB; grey replicated); 0 outside the image. */
    public static void bilinear(Image img, double x, double y, float[] out) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        float ax = (float) (x - x0);
        float ay = (float) (y - y0);
        int w = img.width();
        int h = img.height();
        int ch = img.format().channels();
        byte[] px = img.pixels();
        for (int k = 0; k < 3; k++) {
            out[k] = 0;
        }
        for (int dy = 0; dy < 2; dy++) {
            int yy = y0 + dy;
            if (yy < 0 || yy >= h) {
                continue;
            }
            float wy = dy == 0 ? 1 - ay : ay;
            for (int dx = 0; dx < 2; dx++) {
                int xx = x0 + dx;
                if (xx < 0 || xx >= w) {
                    continue;
                }
                float wgt = wy * (dx == 0 ? 1 - ax : ax);
                if (wgt == 0) {
                    continue;
                }
                int i = (yy * w + xx) * ch;
                if (ch == 1) {
                    float v = (px[i] & 0xff) * wgt;
                    out[0] += v;
                    out[1] += v;
                    out[2] += v;
                } else {
                    out[0] += (px[i] & 0xff) * wgt;
                    out[1] += (px[i + 1] & 0xff) * wgt;
                    out[2] += (px[i + 2] & 0xff) * wgt;
                }
            }
        }
    }
}
