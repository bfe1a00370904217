package dev.sameface.stages;

import dev.sameface.api.Image;
import dev.sameface.api.PixelFormat;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.kit.testing.LfwPhotos;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MTCNN's box filter, fused and vectorised, against a per-pixel statement of the same arithmetic (each output pixel:
 * per source row the horizontal taps summed in float, then those row sums weighted and summed, then prepared), bit
 * for bit, on real LFW photos: with the kernel this JVM picks and with plain Java.
 */
class AreaResampleTest {
    private static final List<ModelSpec> SPECS = List.of(
            new ModelSpec("onet", ModelSpec.ColorOrder.RGB, 127.5, 0.0078125, ModelSpec.Layout.NHWC, 48, 48),
            new ModelSpec("bgr", ModelSpec.ColorOrder.BGR, 103.94, 0.017, ModelSpec.Layout.NHWC, 48, 48));

    /** A region of the photo and the size it is resampled to. */
    private record Region(String what, int sx, int sy, int sw, int sh, int dw, int dh) {
    }

    private static List<Region> regions(Image img) {
        int w = img.width();
        int h = img.height();
        return List.of(
                new Region("O-Net crop of the face", 62, 58, 127, 127, 48, 48),
                new Region("R-Net crop, past the top-left corner", -30, -41, 96, 96, 24, 24),
                new Region("crop past the bottom-right corner (last row and column)", w - 70, h - 55, 101, 101, 48, 48),
                new Region("crop wholly outside", w + 3, 10, 40, 40, 24, 24),
                new Region("crop smaller than its output (upsampled)", 100, 120, 19, 23, 48, 48),
                new Region("whole photo to P-Net's first level", 0, 0, w, h, (int) Math.ceil(w * 0.6), (int) Math.ceil(h * 0.6)),
                new Region("whole photo to a small level", 0, 0, w, h, (int) Math.ceil(w * 0.0535), (int) Math.ceil(h * 0.0535)));
    }

    private static List<Image> photos() {
        List<Image> images = new ArrayList<>(LfwPhotos.first(3));
        Image rgb = images.getFirst();
        byte[] g = new byte[rgb.width() * rgb.height()];
        for (int i = 0; i < g.length; i++) {
            g[i] = (byte) rgb.sample(i % rgb.width(), i / rgb.width(), 1);
        }
        images.add(new Image(rgb.width(), rgb.height(), PixelFormat.GRAY8, g));
        return images;
    }

    /** Source index k of output sample i's footprint: its weight, 0 when it lies outside the footprint or the image. */
    private static float weight(int i, int k, int from, int srcLen, int dstLen, int imageLen) {
        double f = (double) srcLen / dstLen;
        double a = i * f;
        double b = Math.min(srcLen, (i + 1) * f);
        int src = from + k;
        if (k < Math.floor(a) || k >= Math.max(Math.floor(a) + 1, Math.ceil(b)) || src < 0 || src >= imageLen) {
            return 0;
        }
        return (float) ((Math.min(b, k + 1) - Math.max(a, k)) / (b - a));
    }

    private static float[] reference(Image img, Region r, ModelSpec spec) {
        float[] out = new float[r.dw() * r.dh() * 3];
        boolean bgr = spec.colorOrder() == ModelSpec.ColorOrder.BGR;
        for (int j = 0; j < r.dh(); j++) {
            for (int i = 0; i < r.dw(); i++) {
                for (int c = 0; c < 3; c++) {
                    float v = 0;
                    for (int ky = 0; ky < r.sh(); ky++) {
                        float wy = weight(j, ky, r.sy(), r.sh(), r.dh(), img.height());
                        if (wy == 0) {
                            continue;
                        }
                        float row = 0;
                        for (int kx = 0; kx < r.sw(); kx++) {
                            float wx = weight(i, kx, r.sx(), r.sw(), r.dw(), img.width());
                            if (wx != 0) {
                                int channel = img.format().channels() == 1 ? 0 : c;
                                row += img.sample(r.sx() + kx, r.sy() + ky, channel) * wx;
                            }
                        }
                        v += row * wy;
                    }
                    int to = bgr ? 2 - c : c;
                    out[(i * r.dh() + j) * 3 + to] = (float) ((v - spec.mean()) * spec.scale());
                }
            }
        }
        return out;
    }

    private static float[] filtered(AreaResample filter, Image img, Region r, ModelSpec spec) {
        int offset = 5;
        FloatBuffer buffer = ByteBuffer.allocateDirect((r.dw() * r.dh() * 3 + offset) * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        filter.intoTransposed(img, r.sx(), r.sy(), r.sw(), r.sh(), r.dw(), r.dh(), spec, buffer, offset);
        float[] out = new float[r.dw() * r.dh() * 3];
        buffer.get(offset, out);
        return out;
    }

    @Test
    void equalsThePerPixelBoxFilterBitForBitOnLfwPhotos() {
        // One filter per kernel, reused across every case, so that stale scratch would show too.
        List<AreaResample> filters = List.of(new AreaResample(), new AreaResample(AreaKernel.plain()));
        int cases = 0;
        for (Image img : photos()) {
            for (ModelSpec spec : SPECS) {
                for (Region r : regions(img)) {
                    float[] expected = reference(img, r, spec);
                    for (AreaResample filter : filters) {
                        assertThat(filtered(filter, img, r, spec)).as("%s, %s, %s", r.what(), img, spec.colorOrder())
                                .containsExactly(expected);
                        cases++;
                    }
                }
            }
        }
        assertThat(cases).isEqualTo(4 * 2 * 7 * 2);
    }

    @Test
    void usesTheVectorApiWhenTheJvmHasIt() {
        // The build runs tests with --add-modules jdk.incubator.vector, so the fast path is the one tested above.
        assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
        assertThat(AreaKernel.best()).isInstanceOf(VectorAreaKernel.class);
    }
}
