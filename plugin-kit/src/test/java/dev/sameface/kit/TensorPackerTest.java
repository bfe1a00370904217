package dev.sameface.kit;

import dev.sameface.api.Image;
import dev.sameface.api.PixelFormat;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.api.engine.Tensor;
import dev.sameface.kit.testing.LfwPhotos;
import dev.sameface.kit.testing.Tensors;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fused, table-driven {@link TensorPacker} against the per-pixel implementation it replaced, kept here as the
 * reference, on real LFW photos. (The alignment warp's counterpart is the stages' AlignmentWarpTest.)
 */
class TensorPackerTest {
    // Bit-identical: the packer performs the reference's float operations in the reference's order.
    private static final double TOLERANCE = 0;

    /** A region of the photo and the size it is resampled to. */
    private record Region(String what, double sx, double sy, double sw, double sh, int dw, int dh) {
    }

    private static List<Region> regions(Image img) {
        int w = img.width();
        int h = img.height();
        return List.of(
                new Region("whole photo to the detector's 320x240 (upscale, aspect changed)", 0, 0, w, h, 320, 240),
                new Region("whole photo to 64x64 (downscale)", 0, 0, w, h, 64, 64),
                new Region("face box to 64x64 (downscale, fractional origin)", 71.3, 64.8, 109.6, 121.2, 64, 64),
                new Region("small region to 112x112 (upscale)", 100.25, 90.5, 40.5, 38, 112, 112),
                new Region("region partly left and above the image", -30.5, -20, 150, 140, 96, 80),
                new Region("region partly right and below the image", w - 90.7, h - 60.2, 160, 130, 72, 64),
                new Region("padded like a dynamic detector (zeros beyond the image)", 0, 0, w * 1.28, h * 1.28, 320, 320),
                new Region("framed with a margin on every side, as Ultra-Light's input", -0.3 * w - 0.4, -0.15 * h, 1.6 * w, 1.3 * h, 320, 240),
                new Region("same size, no resampling", 0, 0, w, h, w, h));
    }

    private static List<ModelSpec> specs() {
        List<ModelSpec> specs = new ArrayList<>();
        for (ModelSpec.ColorOrder order : ModelSpec.ColorOrder.values()) {
            for (ModelSpec.Layout layout : ModelSpec.Layout.values()) {
                // Raw 0..255 values (YuNet's scale 1) show rounding differences most; the others are the manifest's.
                specs.add(new ModelSpec("test", order, 0.0, 1.0, layout, 0, 0));
                specs.add(new ModelSpec("test", order, 127.0, 0.0078125, layout, 0, 0));
            }
        }
        return specs;
    }

    private static List<Image> photos() {
        List<Image> images = new ArrayList<>(LfwPhotos.first(4));
        images.add(grey(images.getFirst()));
        return images;
    }

    /** A GRAY8 copy of an RGB photo, so the grey-source path is tested on real content. */
    private static Image grey(Image rgb) {
        byte[] g = new byte[rgb.width() * rgb.height()];
        for (int i = 0; i < g.length; i++) {
            g[i] = (byte) Math.round(0.299 * rgb.sample(i % rgb.width(), i / rgb.width(), 0)
                    + 0.587 * rgb.sample(i % rgb.width(), i / rgb.width(), 1) + 0.114 * rgb.sample(i % rgb.width(), i / rgb.width(), 2));
        }
        return new Image(rgb.width(), rgb.height(), PixelFormat.GRAY8, g);
    }

    @Test
    void equalsThePerPixelImplementationOnLfwPhotos() {
        int cases = 0;
        for (Image img : photos()) {
            for (ModelSpec spec : specs()) {
                // The row blend this JVM picks (the Vector API one under the build's JVM options) and plain Java.
                List<TensorPacker> packers = List.of(new TensorPacker(spec), new TensorPacker(spec, RowBlend.scalar()));
                for (Region r : regions(img)) {
                    Tensor expected = referenceToTensor(img, r.sx, r.sy, r.sw, r.sh, r.dw, r.dh, spec);
                    for (TensorPacker packer : packers) {
                        Tensor got = packer.pack(img, r.sx, r.sy, r.sw, r.sh, r.dw, r.dh);
                        assertThat(got.shape()).isEqualTo(expected.shape());
                        assertThat(Tensors.maxAbsDiff(got, expected)).as("%s, %s %s %s", r.what, img, spec.colorOrder(), spec.layout())
                                .isLessThanOrEqualTo(TOLERANCE);
                        cases++;
                    }
                }
            }
        }
        assertThat(cases).isEqualTo(2 * 5 * 12 * 9);
    }

    @Test
    void usesTheVectorApiWhenTheJvmHasIt() {
        // The build runs tests with --add-modules jdk.incubator.vector, so the fast path is the one tested above.
        assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
        assertThat(RowBlend.best()).isInstanceOf(VectorRowBlend.class);
    }

    @Test
    void reusesItsTensorAndOverwritesEveryValue() {
        List<Image> images = photos();
        ModelSpec spec = new ModelSpec("test", ModelSpec.ColorOrder.RGB, 127.0, 0.0078125, ModelSpec.Layout.NCHW, 320, 240);
        TensorPacker packer = new TensorPacker(spec);
        Tensor first = packer.pack(images.get(0), 0, 0, images.get(0).width(), images.get(0).height(), 320, 240);
        Tensor second = packer.pack(images.get(1), 0, 0, images.get(1).width(), images.get(1).height(), 320, 240);
        assertThat(second).isSameAs(first);
        Tensor expected = referenceToTensor(images.get(1), 0, 0, images.get(1).width(), images.get(1).height(), 320, 240, spec);
        assertThat(Tensors.maxAbsDiff(second, expected)).isLessThanOrEqualTo(TOLERANCE);
        // A new size gets a tensor of its own shape.
        Tensor small = packer.pack(images.get(1), 0, 0, 100, 100, 64, 64);
        assertThat(small.shape()).containsExactly(1, 3, 64, 64);
        // ImageOps.toTensor hands out a tensor nobody else reuses.
        Tensor a = ImageOps.toTensor(images.get(0), 0, 0, 100, 100, 64, 64, spec);
        Tensor b = ImageOps.toTensor(images.get(0), 0, 0, 100, 100, 64, 64, spec);
        assertThat(a).isNotSameAs(b);
    }

    // ---- The implementations before TensorPacker, verbatim in their arithmetic: the reference. ----

    private static Tensor referenceToTensor(Image img, double sx, double sy, double sw, double sh, int dw, int dh, ModelSpec spec) {
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
            double srcY = sy + (y + 0.5) * fy - 0.5;
            for (int x = 0; x < dw; x++) {
                double srcX = sx + (x + 0.5) * fx - 0.5;
                ImageOps.bilinear(img, srcX, srcY, rgb);
                int o = y * dw + x;
                switch (spec.colorOrder()) {
                    case RGB -> put(fb, spec.layout(), o, plane, rgb[0], rgb[1], rgb[2], mean, scale);
                    case BGR -> put(fb, spec.layout(), o, plane, rgb[2], rgb[1], rgb[0], mean, scale);
                    case GRAY -> fb.put(o, ((0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2]) - mean) * scale);
                }
            }
        }
        return t;
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
}
