package dev.sameface.stages;

import dev.sameface.api.Image;

/**
 * Box-filter resampling as OpenCV's {@code INTER_AREA}: each output pixel averages the source pixels its footprint
 * covers, weighted by overlap. MTCNN's reference builds its image pyramid and its R-Net/O-Net crops this way; a
 * bilinear resize at the pyramid's small scales (down to 1/20) reads a few pixels of every block and aliases.
 */
final class AreaResample {
    private AreaResample() {
    }

    /** Per output sample along one axis: the first source index, how many taps, and their weights (CSR). */
    private record Taps(int[] first, int[] count, float[] weight, int stride) {
        static Taps of(int start, int srcLen, int dstLen, int imageLen) {
            double f = (double) srcLen / dstLen;
            int maxTaps = (int) Math.ceil(f) + 1;
            int[] first = new int[dstLen];
            int[] count = new int[dstLen];
            float[] weight = new float[dstLen * maxTaps];
            for (int i = 0; i < dstLen; i++) {
                double a = i * f;
                double b = Math.min(srcLen, (i + 1) * f);
                int k0 = (int) Math.floor(a);
                int k1 = Math.max(k0 + 1, (int) Math.ceil(b));
                first[i] = start + k0;
                count[i] = k1 - k0;
                for (int k = k0; k < k1; k++) {
                    double overlap = Math.min(b, k + 1) - Math.max(a, k);
                    int src = start + k;
                    // Outside the image reads 0, as the reference's zero-padded crops do.
                    boolean inside = src >= 0 && src < imageLen;
                    weight[i * maxTaps + (k - k0)] = inside ? (float) (overlap / (b - a)) : 0f;
                }
            }
            return new Taps(first, count, weight, maxTaps);
        }
    }

    /**
     * The whole-pixel region {@code [sx, sx + sw) x [sy, sy + sh)} of {@code img} (0 outside it) resampled to
     * {@code dw x dh}, as interleaved RGB floats 0..255, row-major: index {@code (y * dw + x) * 3 + c}.
     */
    static float[] resample(Image img, int sx, int sy, int sw, int sh, int dw, int dh) {
        Taps tx = Taps.of(sx, sw, dw, img.width());
        Taps ty = Taps.of(sy, sh, dh, img.height());
        int ch = img.format().channels();
        byte[] px = img.pixels();
        int w = img.width();
        // Horizontal pass over the source rows the vertical taps use, then the vertical pass.
        int rowFirst = ty.first()[0];
        int rowLast = ty.first()[dh - 1] + ty.count()[dh - 1];
        float[] rows = new float[(rowLast - rowFirst) * dw * 3];
        for (int y = Math.max(rowFirst, 0); y < Math.min(rowLast, img.height()); y++) {
            int base = (y - rowFirst) * dw * 3;
            int src = y * w * ch;
            for (int i = 0; i < dw; i++) {
                float r = 0;
                float g = 0;
                float b = 0;
                int k0 = tx.first()[i];
                for (int t = 0, n = tx.count()[i]; t < n; t++) {
                    float wt = tx.weight()[i * tx.stride() + t];
                    if (wt == 0) {
                        continue;
                    }
                    int p = src + (k0 + t) * ch;
                    if (ch == 1) {
                        float v = (px[p] & 0xff) * wt;
                        r += v;
                        g += v;
                        b += v;
                    } else {
                        r += (px[p] & 0xff) * wt;
                        g += (px[p + 1] & 0xff) * wt;
                        b += (px[p + 2] & 0xff) * wt;
                    }
                }
                rows[base + 3 * i] = r;
                rows[base + 3 * i + 1] = g;
                rows[base + 3 * i + 2] = b;
            }
        }
        float[] out = new float[dw * dh * 3];
        for (int j = 0; j < dh; j++) {
            int k0 = ty.first()[j];
            for (int t = 0, n = ty.count()[j]; t < n; t++) {
                float wt = ty.weight()[j * ty.stride() + t];
                if (wt == 0) {
                    continue;
                }
                int base = (k0 + t - rowFirst) * dw * 3;
                int o = j * dw * 3;
                for (int i = 0; i < dw * 3; i++) {
                    out[o + i] += rows[base + i] * wt;
                }
            }
        }
        return out;
    }
}
