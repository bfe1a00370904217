package dev.sameface.pipeline;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.pipeline.image.ImageDecoder;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The libjpeg-turbo fast path of {@link ImageDecoder} against its ImageIO path on real LFW JPEGs. Both run libjpeg's
 * accurate integer IDCT with smooth ("fancy") chroma upsampling; measured on 200 LFW photos (libjpeg-turbo 2.1.5,
 * JDK 25's libjpeg, AMD EPYC) every sample was identical. A libjpeg-turbo build whose SIMD rounds differently may
 * differ by a level or two, so the test allows 2 levels and a mean difference under 0.01.
 */
class JpegFastPathTest {
    private static final ImageDecoder FAST = ImageDecoder.DEFAULT;
    private static final ImageDecoder IMAGE_IO = ImageDecoder.DEFAULT.imageIoOnly();

    @BeforeAll
    static void libraryIsThere() {
        if (!FAST.usesTurboJpeg()) {
            throw new IllegalStateException("libturbojpeg.so.0 does not load, so the fast JPEG path cannot be tested; install it: "
                    + "apt-get update && apt-get install -y libturbojpeg0");
        }
        assertThat(IMAGE_IO.usesTurboJpeg()).isFalse();
    }

    @Test
    void lfwJpegsDecodeToTheSamePixelsAsImageIo() throws IOException {
        List<Path> photos = TestData.lfwPhotos(40);
        int worst = 0;
        long diffSum = 0;
        long samples = 0;
        for (Path p : photos) {
            byte[] bytes = Files.readAllBytes(p);
            Image fast = FAST.decode(bytes, p.toString());
            Image reference = IMAGE_IO.decode(bytes, p.toString());
            assertThat(fast.width()).isEqualTo(reference.width());
            assertThat(fast.height()).isEqualTo(reference.height());
            assertThat(fast.format()).as(p.toString()).isEqualTo(reference.format());
            byte[] a = fast.pixels();
            byte[] b = reference.pixels();
            for (int i = 0; i < a.length; i++) {
                int d = Math.abs((a[i] & 0xff) - (b[i] & 0xff));
                worst = Math.max(worst, d);
                diffSum += d;
            }
            samples += a.length;
        }
        assertThat(worst).as("largest per-sample difference").isLessThanOrEqualTo(2);
        assertThat((double) diffSum / samples).as("mean absolute difference").isLessThan(0.01);
    }

    @Test
    void photosAboveTheInPlaceLimitDecodeThroughNativeMemoryToTheSamePixels() throws IOException {
        // An LFW photo enlarged to 2400 x 1800 (4.3 megapixels, above the in-place decoding limit of 4), re-encoded.
        java.awt.image.BufferedImage lfw = javax.imageio.ImageIO.read(TestData.lfwPhotos(1).getFirst().toFile());
        java.awt.image.BufferedImage big = new java.awt.image.BufferedImage(2400, 1800, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = big.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(lfw, 0, 0, 2400, 1800, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        assertThat(javax.imageio.ImageIO.write(big, "jpg", jpeg)).isTrue();
        byte[] bytes = jpeg.toByteArray();
        Image fast = FAST.decode(bytes, "enlarged");
        Image reference = IMAGE_IO.decode(bytes, "enlarged");
        assertThat((long) fast.width() * fast.height()).isGreaterThan(4_000_000L);
        assertThat(fast.width()).isEqualTo(reference.width());
        assertThat(fast.height()).isEqualTo(reference.height());
        byte[] a = fast.pixels();
        byte[] b = reference.pixels();
        assertThat(a).hasSameSizeAs(b);
        long diffSum = 0;
        int worst = 0;
        for (int i = 0; i < a.length; i++) {
            int d = Math.abs((a[i] & 0xff) - (b[i] & 0xff));
            worst = Math.max(worst, d);
            diffSum += d;
        }
        assertThat(worst).as("largest per-sample difference").isLessThanOrEqualTo(2);
        assertThat((double) diffSum / a.length).as("mean absolute difference").isLessThan(0.01);
    }

    @Test
    void truncatedJpegsAreRefused() throws IOException {
        for (Path p : TestData.lfwPhotos(5)) {
            byte[] jpeg = Files.readAllBytes(p);
            for (double cut : new double[]{0.2, 0.5, 0.9}) {
                byte[] truncated = Arrays.copyOf(jpeg, (int) (jpeg.length * cut));
                assertThatThrownBy(() -> FAST.decode(truncated, "cut"))
                        .as("%s cut at %s", p.getFileName(), cut)
                        .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_DECODE_ERROR));
            }
        }
    }

    @Test
    void exifOrientationIsAppliedOnTheFastPath() throws IOException {
        Path p = TestData.lfw("Tony_Blair", 1);
        byte[] jpeg = Files.readAllBytes(p);
        Image upright = FAST.decode(jpeg, "plain");
        // Orientation 6: the stored picture must be turned 90 degrees clockwise to be upright.
        Image turned = FAST.decode(withExifOrientation(jpeg, 6), "exif6");
        int w = upright.width();
        int h = upright.height();
        assertThat(turned.width()).isEqualTo(h);
        assertThat(turned.height()).isEqualTo(w);
        for (int y = 0; y < turned.height(); y += 7) {
            for (int x = 0; x < turned.width(); x += 7) {
                for (int c = 0; c < 3; c++) {
                    assertThat(turned.sample(x, y, c)).isEqualTo(upright.sample(y, h - 1 - x, c));
                }
            }
        }
        // The ImageIO path agrees on the orientation.
        Image reference = IMAGE_IO.decode(withExifOrientation(jpeg, 6), "exif6");
        assertThat(Math.abs(reference.sample(10, 200, 0) - turned.sample(10, 200, 0))).isLessThanOrEqualTo(4);
    }

    /** {@code jpeg} with an APP1 Exif segment holding only the orientation tag, inserted after SOI. */
    private static byte[] withExifOrientation(byte[] jpeg, int orientation) throws IOException {
        byte[] tiff = {
                'M', 'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, first IFD at offset 8
                0, 1, // one entry
                0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // Orientation, SHORT, count 1, value
                0, 0, 0, 0}; // no next IFD
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int len = 2 + 6 + tiff.length;
        out.write(new byte[]{(byte) 0xFF, (byte) 0xE1, (byte) (len >> 8), (byte) len, 'E', 'x', 'i', 'f', 0, 0});
        out.write(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
