package dev.sameface.stages;

import dev.sameface.api.Image;
import dev.sameface.api.engine.ModelSpec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Box-filter resampling as OpenCV's {@code INTER_AREA}: each output pixel averages the source pixels its footprint
 * covers, weighted by overlap. MTCNN's reference builds its image pyramid and its R-Net/O-Net crops this way; a
 * bilinear resize at the pyramid's small scales (down to 1/20) reads a few pixels of every block and aliases.
 *
 * <p>One pass per source row (its taps' pixels gathered once as packed ints, then summed per channel by
 * {@link AreaKernel}, with the Vector API where the JVM has it) and one per output row (vertical taps, then
 * {@code (v - mean) * scale}, colour order and MTCNN's x-before-y layout), writing into the model's input: no
 * per-crop float image, no whole-window copies. The float products and their order of addition are those of
 * resampling first and preparing afterwards, so the values do not depend on the fusion or on the kernel.
 */
final class AreaResample {
    // An int from any byte offset of a pixel array, little-endian: byte p in bits 0-7, p + 1 in 8-15, p + 2 in 16-23.
    private static final VarHandle INT_AT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private final AreaKernel kernel;
    // Scratch reused from call to call (grown when a call needs more): the owner uses it from one thread at a time.
    private float[][] planes = new float[3][0];
    private int[] packed = new int[0];
    private int[] rowAt = new int[0];
    private float[][] row = new float[3][0];
    private float[] values = new float[0];

    AreaResample() {
        this(AreaKernel.best());
    }

    /** With a given kernel: the tests compare the Vector API one with plain Java. */
    AreaResample(AreaKernel kernel) {
        this.kernel = kernel;
    }

    /**
     * Per output sample along one axis, the same number of taps ({@code taps}, the most any sample has), tap-major:
     * tap {@code t} of sample {@code i} reads source index {@code index[t * n + i]} with weight
     * {@code weight[t * n + i]} ({@code n} samples). A tap outside the image (the reference's zero padding) or beyond
     * a sample's footprint gets weight 0 and an index clamped into the source's range: adding {@code v * 0} changes
     * no sum, and equal tap counts let the kernel run each tap over all samples in whole vectors.
     */
    private record Taps(int taps, int[] index, float[] weight) {
        static Taps of(int from, int srcLen, int dstLen, int lo, int hi) {
            double f = (double) srcLen / dstLen;
            int taps = (int) Math.ceil(f) + 1;
            int[] index = new int[dstLen * taps];
            float[] weight = new float[dstLen * taps];
            for (int i = 0; i < dstLen; i++) {
                double a = i * f;
                double b = Math.min(srcLen, (i + 1) * f);
                int k0 = (int) Math.floor(a);
                int k1 = Math.max(k0 + 1, (int) Math.ceil(b));
                for (int t = 0; t < taps; t++) {
                    int k = k0 + t;
                    int src = from + k;
                    index[t * dstLen + i] = Math.clamp(src, lo, hi - 1);
                    if (k < k1 && src >= lo && src < hi) {
                        weight[t * dstLen + i] = (float) ((Math.min(b, k + 1) - Math.max(a, k)) / (b - a));
                    }
                }
            }
            return new Taps(taps, index, weight);
        }
    }

    /**
     * The whole-pixel region {@code [sx, sx + sw) x [sy, sy + sh)} of {@code img} (0 outside it) resampled to
     * {@code dw x dh}, prepared as {@code spec} says ({@code (v - mean) * scale}, RGB or BGR) and written x before y
     * (index {@code (x * dh + y) * 3 + c}) into {@code out} from {@code offset}, as MTCNN's networks take it.
     */
    void intoTransposed(Image img, int sx, int sy, int sw, int sh, int dw, int dh, ModelSpec spec, FloatBuffer out, int offset) {
        double mean = spec.mean();
        double scale = spec.scale();
        if (values.length != dw * dh * 3) {
            values = new float[dw * dh * 3];
        }
        int rowFirst = Math.max(sy, 0);
        int rowEnd = Math.min(sy + sh, img.height());
        if (rowFirst >= rowEnd || sx >= img.width() || sx + sw <= 0) {
            // Wholly outside the image: zero padding only.
            Arrays.fill(values, (float) ((0f - mean) * scale));
            out.put(offset, values);
            return;
        }
        // Horizontal pass: each source row the region covers to dw samples, one plane per channel.
        Taps tx = Taps.of(sx, sw, dw, 0, img.width());
        int rows = rowEnd - rowFirst;
        if (planes[0].length < rows * dw) {
            planes = new float[3][rows * dw];
        }
        if (packed.length < tx.index().length) {
            packed = new int[tx.index().length];
        }
        for (int y = rowFirst; y < rowEnd; y++) {
            gather(img, y, tx.index(), packed);
            for (int c = 0; c < 3; c++) {
                kernel.horizontal(packed, tx.weight(), tx.taps(), dw, 8 * c, planes[c], (y - rowFirst) * dw);
            }
        }
        // Vertical pass, one output row at a time, then prepared and written transposed.
        Taps ty = Taps.of(sy, sh, dh, rowFirst, rowEnd);
        if (rowAt.length < ty.index().length) {
            rowAt = new int[ty.index().length];
        }
        for (int k = 0; k < ty.index().length; k++) {
            rowAt[k] = (ty.index()[k] - rowFirst) * dw;
        }
        if (row[0].length < dw) {
            row = new float[3][dw];
        }
        // Where each channel goes in the model's colour order.
        int[] to = spec.colorOrder() == ModelSpec.ColorOrder.BGR ? new int[]{2, 1, 0} : new int[]{0, 1, 2};
        for (int j = 0; j < dh; j++) {
            for (int c = 0; c < 3; c++) {
                kernel.vertical(planes[c], rowAt, ty.weight(), j, dh, ty.taps(), dw, row[c]);
            }
            for (int c = 0; c < 3; c++) {
                float[] v = row[c];
                for (int i = 0, d = j * 3 + to[c]; i < dw; i++, d += dh * 3) {
                    values[d] = (float) ((v[i] - mean) * scale);
                }
            }
        }
        out.put(offset, values);
    }

    /**
     * The pixel each horizontal tap reads in source row {@code y}, packed {@code r | g << 8 | b << 16} (a grey pixel
     * in all three): one 4-byte load per tap, so that the taps' arithmetic runs over plain arrays.
     */
    private static void gather(Image img, int y, int[] index, int[] packed) {
        byte[] px = img.pixels();
        if (img.format().channels() == 1) {
            int src = y * img.width();
            for (int k = 0; k < index.length; k++) {
                packed[k] = (px[src + index[k]] & 0xff) * 0x010101;
            }
            return;
        }
        int src = y * img.width() * 3;
        if (y < img.height() - 1) {
            // A row below: every pixel has a fourth byte after it.
            for (int k = 0; k < index.length; k++) {
                packed[k] = (int) INT_AT.get(px, src + index[k] * 3);
            }
            return;
        }
        for (int k = 0; k < index.length; k++) {
            // The image's last row: byte by byte, its last pixel has no fourth byte after it.
            int p = src + index[k] * 3;
            packed[k] = (px[p] & 0xff) | (px[p + 1] & 0xff) << 8 | (px[p + 2] & 0xff) << 16;
        }
    }
}
