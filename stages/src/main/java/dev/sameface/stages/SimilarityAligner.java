package dev.sameface.stages;

import dev.sameface.api.AlignedFace;
import dev.sameface.api.Aligner;
import dev.sameface.api.DetectedFace;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.api.PixelFormat;
import dev.sameface.api.Point;
import dev.sameface.kit.ImageOps;

import java.util.List;

/**
 * Five-point alignment to the ArcFace 112x112 template: the least-squares similarity transform (rotation, uniform
 * scale, translation; Umeyama's solution, which in 2-D has a closed form) from the detected landmarks to the
 * template, then a bilinear inverse warp. Pixel coordinates follow OpenCV's warpAffine (integer = pixel centre),
 * so crops match what ArcFace-family models were trained on. Pure Java, stateless, thread-safe.
 */
public final class SimilarityAligner implements Aligner {
    /** The ArcFace template for a 112x112 crop, image-left eye first. */
    public static final double[][] ARCFACE_112 = {
            {38.2946, 51.6963}, {73.5318, 51.5014}, {56.0252, 71.7366}, {41.5493, 92.3655}, {70.7299, 92.2041}};

    private final int size;
    private final double[][] template;

    public SimilarityAligner(int size) {
        if (size < 16 || size > 1024) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "aligner crop size must be 16..1024, got " + size);
        }
        this.size = size;
        this.template = new double[5][2];
        for (int i = 0; i < 5; i++) {
            template[i][0] = ARCFACE_112[i][0] * size / 112.0;
            template[i][1] = ARCFACE_112[i][1] * size / 112.0;
        }
    }

    public double[][] template() {
        double[][] t = new double[5][];
        for (int i = 0; i < 5; i++) {
            t[i] = template[i].clone();
        }
        return t;
    }

    @Override
    public int cropSize() {
        return size;
    }

    @Override
    public AlignedFace align(Image image, DetectedFace face) {
        double[] m = estimate(face.landmarks().points(), template);
        return new AlignedFace(warp(image, m, size), m, face);
    }

    /**
     * The similarity transform [a, -b, tx; b, a, ty] minimising the squared distance from the mapped source points
     * to {@code dst}, as {@code [a, -b, tx, b, a, ty]}.
     */
    public static double[] estimate(List<Point> src, double[][] dst) {
        int n = src.size();
        double sx = 0, sy = 0, dx = 0, dy = 0;
        for (int i = 0; i < n; i++) {
            sx += src.get(i).x();
            sy += src.get(i).y();
            dx += dst[i][0];
            dy += dst[i][1];
        }
        sx /= n;
        sy /= n;
        dx /= n;
        dy /= n;
        double num1 = 0, num2 = 0, den = 0;
        for (int i = 0; i < n; i++) {
            double ux = src.get(i).x() - sx, uy = src.get(i).y() - sy;
            double vx = dst[i][0] - dx, vy = dst[i][1] - dy;
            num1 += ux * vx + uy * vy;
            num2 += ux * vy - uy * vx;
            den += ux * ux + uy * uy;
        }
        if (!(den > 1e-9) || !Double.isFinite(den)) {
            throw new FaceException(ErrorCode.NO_FACE, "degenerate landmarks (all at one point); cannot align the face");
        }
        double a = num1 / den;
        double b = num2 / den;
        double tx = dx - (a * sx - b * sy);
        double ty = dy - (b * sx + a * sy);
        return new double[]{a, -b, tx, b, a, ty};
    }

    /**
     * Inverse-maps every crop pixel into the source and samples bilinearly; outside the image is black. Pixels whose
     * four taps lie inside an RGB source are sampled inline (the same float arithmetic as {@link ImageOps#bilinear},
     * without its per-pixel bounds checks and array); the rest, and grey sources, go through ImageOps.bilinear.
     */
    static Image warp(Image src, double[] m, int size) {
        double a = m[0], b = m[1], tx = m[2], c = m[3], d = m[4], ty = m[5];
        double det = a * d - b * c;
        if (Math.abs(det) < 1e-12) {
            throw new FaceException(ErrorCode.NO_FACE, "alignment transform is singular");
        }
        double ia = d / det, ib = -b / det, ic = -c / det, id = a / det;
        int w = src.width();
        int h = src.height();
        boolean rgb = src.format() == PixelFormat.RGB8;
        byte[] in = src.pixels();
        byte[] out = new byte[size * size * 3];
        float[] px = new float[3];
        for (int v = 0; v < size; v++) {
            double y = v - ty;
            for (int u = 0; u < size; u++) {
                double x = u - tx;
                double sx = ia * x + ib * y;
                double sy = ic * x + id * y;
                int o = (v * size + u) * 3;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                if (rgb && x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h) {
                    float ax = (float) (sx - x0);
                    float ay = (float) (sy - y0);
                    float w00 = (1 - ay) * (1 - ax);
                    float w01 = (1 - ay) * ax;
                    float w10 = ay * (1 - ax);
                    float w11 = ay * ax;
                    int p = (y0 * w + x0) * 3;
                    int q = p + w * 3;
                    for (int k = 0; k < 3; k++) {
                        float s = (in[p + k] & 0xff) * w00 + (in[p + 3 + k] & 0xff) * w01 + (in[q + k] & 0xff) * w10
                                + (in[q + 3 + k] & 0xff) * w11;
                        // Math.round(s) for s >= 0, exactly: s + 0.5 is exact in double, and the cast floors it.
                        out[o + k] = (byte) (int) (s + 0.5d);
                    }
                } else {
                    ImageOps.bilinear(src, sx, sy, px);
                    out[o] = (byte) Math.round(px[0]);
                    out[o + 1] = (byte) Math.round(px[1]);
                    out[o + 2] = (byte) Math.round(px[2]);
                }
            }
        }
        return new Image(size, size, PixelFormat.RGB8, out);
    }
}
