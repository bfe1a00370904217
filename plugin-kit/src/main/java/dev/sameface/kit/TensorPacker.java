package dev.sameface.kit;

import dev.sameface.api.Image;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.api.engine.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One model input that a stage owns and refills for every image: bilinear resize (pixel-centre mapping as
 * cv::resize INTER_LINEAR, zero border), colour order, {@code (v - mean) * scale} and layout in one pass over
 * per-column index/weight tables. For RGB sources into NCHW or grey inputs (every built-in model) each source row's
 * taps are read once as packed ints (one unaligned 4-byte load per tap instead of three byte loads) and each output
 * row is blended, with the Vector API where the JVM has it, straight into the tensor's memory (no float[] and no
 * 0.9 MB bulk copy for the detector's input); a same-size window (the embedder's crop) is copied straight in too. The
 * other layouts (NHWC, grey sources) go through a float[] copied into the tensor's direct buffer in one bulk put.
 *
 * <p>The arithmetic is that of sampling each pixel with {@link ImageOps#bilinear} (the same float products, added in
 * the same order; a tap outside the image gets weight 0, and adding {@code p * 0} changes nothing), so the values are
 * bit-identical to the per-pixel formulation, which matters for models fed raw 0..255 values (YuNet: scale 1).
 *
 * <p>Not thread-safe: one packer per stage instance, and a stage is used by one thread at a time. {@link #pack}
 * returns the same tensor every call (a new one only when the size changes), so the caller must be done with it
 * before packing the next image. Handing it to {@code CompiledModel.run} and packing again afterwards is safe with
 * every engine here, because each is finished with its inputs when run() returns: onnxruntime wraps the buffer in an
 * OnnxTensor closed in run()'s finally; openvino binds the memory to its infer request, which the next run() rebinds
 * before inferring; djl-onnxruntime copies it and djl-pytorch wraps it in a per-run NDManager closed on return. All
 * of them copy their outputs.
 */
public final class TensorPacker {
    private static final RowBlend BEST = RowBlend.best();
    // An int from any byte offset of a pixel array, little-endian: byte p in bits 0-7, p + 1 in 8-15, p + 2 in 16-23.
    private static final VarHandle INT_AT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private final ModelSpec spec;
    private final int channels;
    private final RowBlend blend;
    private Tensor tensor;
    // The tensor's memory, taken once when it is allocated (while the buffer's position is 0).
    private MemorySegment tensorMemory;
    private float[] values = new float[0];
    // Per output column: byte offset of the left and right tap in a source row, and their weights (0 outside).
    private int[] leftTap = new int[0];
    private int[] rightTap = new int[0];
    private float[] leftWeight = new float[0];
    private float[] rightWeight = new float[0];
    // Per output row: the source row above and below (0 outside) and their weights (0 outside).
    private int[] topRow = new int[0];
    private int[] bottomRow = new int[0];
    private float[] topWeight = new float[0];
    private float[] bottomWeight = new float[0];
    // Per output column, where to load the int holding the left/right tap's pixel in its low three bytes: one byte
    // before the pixel (then shifted right by 8) so that the load never runs past the image's last pixel; at offset
    // 0, the pixel itself (shift 0; the fourth byte is masked off when the channels are unpacked).
    private int[] leftLoad = new int[0];
    private int[] rightLoad = new int[0];
    private int[] leftShift = new int[0];
    private int[] rightShift = new int[0];
    // One row's three blended channels on the way to luma (RowBlend.grey).
    private float[] greyScratch = new float[0];
    // At least one row of the value a pixel beyond the image gets, (0 - mean) * scale.
    private float[] outsideRow = new float[0];
    // Two source rows' taps as packed pixels, [left, right][column], and which source row each holds (-1: none).
    // Consecutive output rows mostly share a source row, so each is gathered about once.
    private int[] rowTaps0 = new int[0];
    private int[] rowTaps1 = new int[0];
    private int rowTaps0Source = -1;
    private int rowTaps1Source = -1;

    public TensorPacker(ModelSpec spec) {
        this(spec, BEST);
    }

    /** With a given row blend: the tests compare the Vector API one with plain Java. */
    TensorPacker(ModelSpec spec, RowBlend blend) {
        this.spec = spec;
        this.channels = spec.colorOrder() == ModelSpec.ColorOrder.GRAY ? 1 : 3;
        this.blend = blend;
    }

    public ModelSpec spec() {
        return spec;
    }

    /**
     * The region (sx, sy, sw, sh) of {@code img} resampled to {@code dw} x {@code dh}, as a [1, C, dh, dw] (NCHW) or
     * [1, dh, dw, C] (NHWC) tensor prepared as the spec says; pixels outside the image read as 0. The tensor is this
     * packer's own and is overwritten by the next call.
     */
    public Tensor pack(Image img, double sx, double sy, double sw, double sh, int dw, int dh) {
        ensureCapacity(dw, dh);
        if (isCopy(img, sx, sy, sw, sh, dw, dh)) {
            return copy(img, (int) sx, (int) sy, dw, dh);
        }
        axisTaps(sx, sw / dw, dw, img.width(), img.format().channels(), leftTap, rightTap, leftWeight, rightWeight);
        axisTaps(sy, sh / dh, dh, img.height(), 1, topRow, bottomRow, topWeight, bottomWeight);
        int w = img.width();
        int ch = img.format().channels();
        byte[] px = img.pixels();
        float mean = (float) spec.mean();
        float scale = (float) spec.scale();
        int plane = dw * dh;
        boolean nchw = spec.layout() == ModelSpec.Layout.NCHW;
        // Where channel k of output pixel o goes: o * pixelStride + k * channelStride.
        int pixelStride = nchw || channels == 1 ? 1 : 3;
        int channelStride = nchw ? plane : 1;
        boolean bgr = spec.colorOrder() == ModelSpec.ColorOrder.BGR;
        int redAt = bgr ? 2 * channelStride : 0;
        int blueAt = bgr ? 0 : 2 * channelStride;
        int greenAt = channelStride;
        rowTaps0Source = -1;
        rowTaps1Source = -1;
        if (ch == 3 && (nchw || channels == 1)) {
            planar(img, dw, dh, redAt, greenAt, blueAt, mean, scale);
            return tensor;
        }
        if (values.length < plane * channels) {
            values = new float[plane * channels];
        }
        float[] out = values;
        int[] lt = leftTap;
        int[] rt = rightTap;
        float[] lw = leftWeight;
        float[] rw = rightWeight;
        for (int y = 0; y < dh; y++) {
            float topW = topWeight[y];
            float bottomW = bottomWeight[y];
            int top = topRow[y] * w * ch;
            int bottom = bottomRow[y] * w * ch;
            int rowOut = y * dw;
            if (ch == 3) {
                for (int x = 0; x < dw; x++) {
                    float w00 = topW * lw[x];
                    float w01 = topW * rw[x];
                    float w10 = bottomW * lw[x];
                    float w11 = bottomW * rw[x];
                    int a = top + lt[x];
                    int b = top + rt[x];
                    int c = bottom + lt[x];
                    int d = bottom + rt[x];
                    float r = (px[a] & 0xff) * w00 + (px[b] & 0xff) * w01 + (px[c] & 0xff) * w10 + (px[d] & 0xff) * w11;
                    float g = (px[a + 1] & 0xff) * w00 + (px[b + 1] & 0xff) * w01 + (px[c + 1] & 0xff) * w10 + (px[d + 1] & 0xff) * w11;
                    float bl = (px[a + 2] & 0xff) * w00 + (px[b + 2] & 0xff) * w01 + (px[c + 2] & 0xff) * w10 + (px[d + 2] & 0xff) * w11;
                    if (channels == 3) {
                        int o = (rowOut + x) * pixelStride;
                        out[o + redAt] = (r - mean) * scale;
                        out[o + greenAt] = (g - mean) * scale;
                        out[o + blueAt] = (bl - mean) * scale;
                    } else {
                        out[rowOut + x] = (grey(r, g, bl) - mean) * scale;
                    }
                }
            } else {
                for (int x = 0; x < dw; x++) {
                    float w00 = topW * lw[x];
                    float w01 = topW * rw[x];
                    float w10 = bottomW * lw[x];
                    float w11 = bottomW * rw[x];
                    float v = (px[top + lt[x]] & 0xff) * w00 + (px[top + rt[x]] & 0xff) * w01
                            + (px[bottom + lt[x]] & 0xff) * w10 + (px[bottom + rt[x]] & 0xff) * w11;
                    if (channels == 1) {
                        out[rowOut + x] = (grey(v, v, v) - mean) * scale;
                    } else {
                        float s = (v - mean) * scale;
                        int o = (rowOut + x) * pixelStride;
                        out[o] = s;
                        out[o + channelStride] = s;
                        out[o + 2 * channelStride] = s;
                    }
                }
            }
        }
        tensor.buffer().put(0, out, 0, plane * channels);
        return tensor;
    }

    /**
     * RGB source into three NCHW planes or one grey plane: per output row, the two source rows' packed taps (gathered
     * once per source row) blended by {@link RowBlend} into the tensor's memory. The float operations are those of
     * the per-pixel path, in the same order.
     */
    private void planar(Image img, int dw, int dh, int redAt, int greenAt, int blueAt, float mean, float scale) {
        for (int x = 0; x < dw; x++) {
            leftLoad[x] = Math.max(leftTap[x] - 1, 0);
            leftShift[x] = leftTap[x] == 0 ? 0 : 8;
            rightLoad[x] = Math.max(rightTap[x] - 1, 0);
            rightShift[x] = rightTap[x] == 0 ? 0 : 8;
        }
        // A pixel whose weights are all 0 (beyond the image: the detector's framing margin is often half the input)
        // blends to exactly +0 (p * 0, summed), so it is (0 - mean) * scale, for RGB and luma alike: those rows and
        // the leading and trailing columns are filled with that value instead of being blended.
        float outside = (0f - mean) * scale;
        int from = 0;
        while (from < dw && leftWeight[from] == 0 && rightWeight[from] == 0) {
            from++;
        }
        int to = dw;
        while (to > from && leftWeight[to - 1] == 0 && rightWeight[to - 1] == 0) {
            to--;
        }
        if (outsideRow.length < dw || Float.floatToRawIntBits(outsideRow[0]) != Float.floatToRawIntBits(outside)) {
            outsideRow = new float[Math.max(dw, outsideRow.length)];
            Arrays.fill(outsideRow, outside);
        }
        MemorySegment out = tensorMemory;
        int[] planes = channels == 1 ? new int[]{0} : new int[]{redAt, greenAt, blueAt};
        for (int y = 0; y < dh; y++) {
            long row = 4L * y * dw;
            boolean blank = topWeight[y] == 0 && bottomWeight[y] == 0;
            for (int plane : planes) {
                long at = 4L * plane + row;
                if (blank) {
                    MemorySegment.copy(outsideRow, 0, out, RowBlend.FLOAT, at, dw);
                } else {
                    MemorySegment.copy(outsideRow, 0, out, RowBlend.FLOAT, at, from);
                    MemorySegment.copy(outsideRow, 0, out, RowBlend.FLOAT, at + 4L * to, dw - to);
                }
            }
            if (blank) {
                continue;
            }
            // Out-of-image rows read row 0 with weight 0, as the per-pixel path does.
            int[] t = rowTaps(img, topRow[y], bottomRow[y], dw, from, to);
            int[] b = rowTaps(img, bottomRow[y], topRow[y], dw, from, to);
            if (channels == 1) {
                blend.grey(t, b, leftWeight, rightWeight, topWeight[y], bottomWeight[y], dw, from, to, out, row, mean, scale, greyScratch);
            } else {
                blend.rgb(t, b, leftWeight, rightWeight, topWeight[y], bottomWeight[y], dw, from, to, out,
                        4L * redAt + row, 4L * greenAt + row, 4L * blueAt + row, mean, scale);
            }
        }
    }

    /**
     * The taps of source row {@code row} for columns from..to, gathered now unless cached; never evicts the cache of
     * row {@code keep}. The columns are the same for every row of one pack.
     */
    private int[] rowTaps(Image img, int row, int keep, int dw, int from, int to) {
        if (rowTaps0Source == row) {
            return rowTaps0;
        }
        if (rowTaps1Source == row) {
            return rowTaps1;
        }
        boolean first = rowTaps0Source != keep;
        int[] dst = first ? rowTaps0 : rowTaps1;
        if (first) {
            rowTaps0Source = row;
        } else {
            rowTaps1Source = row;
        }
        byte[] px = img.pixels();
        int base = row * img.width() * 3;
        int[] ll = leftLoad;
        int[] rl = rightLoad;
        int[] ls = leftShift;
        int[] rs = rightShift;
        for (int x = from; x < to; x++) {
            dst[x] = (int) INT_AT.get(px, base + ll[x]) >>> ls[x];
            dst[dw + x] = (int) INT_AT.get(px, base + rl[x]) >>> rs[x];
        }
        return dst;
    }

    /**
     * Whether the region is a whole-pixel window of an RGB image at its own size (the embedder's aligned crop): every
     * sample then falls on a pixel centre with weight 1 and the others 0, so resampling gives the pixel itself.
     */
    private boolean isCopy(Image img, double sx, double sy, double sw, double sh, int dw, int dh) {
        return img.format().channels() == 3 && channels == 3 && spec.layout() == ModelSpec.Layout.NCHW
                && sw == dw && sh == dh && sx == Math.rint(sx) && sy == Math.rint(sy)
                && sx >= 0 && sy >= 0 && sx + dw <= img.width() && sy + dh <= img.height();
    }

    /** The window as it is: {@code p * 1 + q * 0 + ...} is {@code p}, so this equals the resampling path bit for bit. */
    private Tensor copy(Image img, int sx, int sy, int dw, int dh) {
        byte[] px = img.pixels();
        MemorySegment out = tensorMemory;
        float mean = (float) spec.mean();
        float scale = (float) spec.scale();
        long plane = 4L * dw * dh;
        boolean bgr = spec.colorOrder() == ModelSpec.ColorOrder.BGR;
        long redAt = bgr ? 2 * plane : 0;
        long blueAt = bgr ? 0 : 2 * plane;
        for (int y = 0; y < dh; y++) {
            int src = ((sy + y) * img.width() + sx) * 3;
            long o = 4L * y * dw;
            for (int x = 0; x < dw; x++, src += 3, o += 4) {
                out.set(RowBlend.FLOAT, redAt + o, ((px[src] & 0xff) - mean) * scale);
                out.set(RowBlend.FLOAT, plane + o, ((px[src + 1] & 0xff) - mean) * scale);
                out.set(RowBlend.FLOAT, blueAt + o, ((px[src + 2] & 0xff) - mean) * scale);
            }
        }
        return tensor;
    }

    /** ITU-R BT.601 luma, as OpenCV's COLOR_RGB2GRAY. */
    static float grey(float r, float g, float b) {
        return 0.299f * r + 0.587f * g + 0.114f * b;
    }

    /**
     * For each of {@code n} output samples along one axis, pixel-centre mapped from {@code start} at {@code f} source
     * pixels per output pixel: the two neighbouring source taps (index * {@code stride}; 0 outside the image) and
     * their weights (0 outside), as {@link ImageOps#bilinear} computes them.
     */
    private static void axisTaps(double start, double f, int n, int size, int stride, int[] first, int[] second,
                                 float[] firstWeight, float[] secondWeight) {
        for (int i = 0; i < n; i++) {
            double src = start + (i + 0.5) * f - 0.5;
            int i0 = (int) Math.floor(src);
            float a = (float) (src - i0);
            boolean firstIn = i0 >= 0 && i0 < size;
            boolean secondIn = i0 + 1 >= 0 && i0 + 1 < size;
            first[i] = firstIn ? i0 * stride : 0;
            firstWeight[i] = firstIn ? 1 - a : 0f;
            second[i] = secondIn ? (i0 + 1) * stride : 0;
            secondWeight[i] = secondIn ? a : 0f;
        }
    }

    private void ensureCapacity(int dw, int dh) {
        if (dw <= 0 || dh <= 0) {
            throw new IllegalArgumentException("tensor size must be positive: " + dw + "x" + dh);
        }
        long[] shape = spec.layout() == ModelSpec.Layout.NCHW ? new long[]{1, channels, dh, dw} : new long[]{1, dh, dw, channels};
        if (tensor == null || !Arrays.equals(tensor.shape(), shape)) {
            tensor = Tensor.allocate(shape);
            tensorMemory = MemorySegment.ofBuffer(tensor.buffer());
        }
        if (topRow.length < dh) {
            topRow = new int[dh];
            bottomRow = new int[dh];
            topWeight = new float[dh];
            bottomWeight = new float[dh];
        }
        if (leftTap.length < dw) {
            greyScratch = new float[3 * dw];
            rowTaps0 = new int[2 * dw];
            rowTaps1 = new int[2 * dw];
            leftLoad = new int[dw];
            rightLoad = new int[dw];
            leftShift = new int[dw];
            rightShift = new int[dw];
            leftTap = new int[dw];
            rightTap = new int[dw];
            leftWeight = new float[dw];
            rightWeight = new float[dw];
        }
    }
}
