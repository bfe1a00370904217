package dev.sameface.pipeline.image;

import dev.sameface.api.Image;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.api.engine.Tensor;

import java.nio.FloatBuffer;

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
        int c = spec.colorOrder() == ModelSpec.ColorOrder.GRAY ? 1 : 3;
        Tensor t = spec.layout() == ModelSpec.Layout.NCHW ? Tensor.allocate(1, c, dh, dw) : Tensor.allocate(1, dh, dw, c);
        FloatBuffer fb = t.buffer();
        double fx = sw / dw;
        double fy = sh / dh;
        float mean = (float) spec.mean();
        float scale = (float) spec.scale();
        int plane = dw * dh;
        float[] rgb = new float[3];
        for (int y = 0; y < dh; y++) {
            // Pixel-centre mapping, as cv::resize(INTER_LINEAR) does.
            double srcY = sy + (y + 0.5) * fy - 0.5;
            for (int x = 0; x < dw; x++) {
                double srcX = sx + (x + 0.5) * fx - 0.5;
                bilinear(img, srcX, srcY, rgb);
                int o = y * dw + x;
                switch (spec.colorOrder()) {
                    case RGB -> put(fb, spec.layout(), o, plane, rgb[0], rgb[1], rgb[2], mean, scale);
                    case BGR -> put(fb, spec.layout(), o, plane, rgb[2], rgb[1], rgb[0], mean, scale);
                    case GRAY -> fb.put(o, (grey(rgb) - mean) * scale);
                }
            }
        }
        return t;
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
        double scale = Math.min(1.0, (double) maxSide / Math.max(image.width(), image.height()));
        int w = (int) Math.round(image.width() * scale);
        int h = (int) Math.round(image.height() * scale);
        int pw = (w + multiple - 1) / multiple * multiple;
        int ph = (h + multiple - 1) / multiple * multiple;
        // Sampling the padded area from the source at the same scale reads zeros beyond the image: the padding.
        return new Padded(toTensor(image, 0, 0, pw / scale, ph / scale, pw, ph, spec), scale, pw, ph);
    }

    private static float grey(float[] rgb) {
        // ITU-R BT.601 luma, as OpenCV's COLOR_RGB2GRAY.
        return 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2];
    }

    private static void put(FloatBuffer fb, ModelSpec.Layout layout, int o, int plane, float a, float b, float c, float mean, float scale) {
        if (layout == ModelSpec.Layout.NCHW) {
            fb.put(o, (a - mean) * scale);
            fb.put(plane + o, (b - mean) * scale);
            fb.put(2 * plane + o, (c - mean) * scale);
        } else {
            fb.put(3 * o, (a - mean) * scale);
            fb.put(3 * o + 1, (b - mean) * scale);
            fb.put(3 * o + 2, (c - mean) * scale);
        }
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
