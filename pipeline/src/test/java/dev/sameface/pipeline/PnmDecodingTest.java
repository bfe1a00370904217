package dev.sameface.pipeline;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.api.PixelFormat;
import dev.sameface.pipeline.image.ImageDecoder;
import dev.sameface.pipeline.image.PnmCodec;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** NIST's PGM/PPM inputs, from a real LFW photo: every Netpbm form decodes to the same pixels; broken ones are refused. */
class PnmDecodingTest {
    private static final Image PHOTO = ImageDecoder.DEFAULT.decode(TestData.lfw("Tony_Blair", 1));

    private static Image grey(Image rgb) {
        byte[] g = new byte[rgb.width() * rgb.height()];
        for (int i = 0; i < g.length; i++) {
            g[i] = rgb.pixels()[3 * i + 1];
        }
        return new Image(rgb.width(), rgb.height(), PixelFormat.GRAY8, g);
    }

    private static Image decode(byte[] bytes) {
        return ImageDecoder.DEFAULT.decode(bytes, "input.pnm");
    }

    @Test
    void binaryPpmAndPgmRoundTripExactly() {
        assertThat(decode(PnmCodec.encode(PHOTO))).isEqualTo(PHOTO);
        Image g = grey(PHOTO);
        assertThat(decode(PnmCodec.encode(g))).isEqualTo(g);
    }

    @Test
    void plainTextFormsWithCommentsAndSixteenBitSamplesDecodeToTheSamePixels() {
        Image small = new Image(20, 18, PixelFormat.RGB8, Arrays.copyOf(PHOTO.pixels(), 20 * 18 * 3));
        StringBuilder p3 = new StringBuilder("P3\n# written by a test\n20 18\n# maxval follows\n255\n");
        for (byte v : small.pixels()) {
            p3.append(v & 0xff).append(' ');
        }
        assertThat(decode(p3.toString().getBytes(StandardCharsets.US_ASCII))).isEqualTo(small);

        // maxval 65535: each 8-bit sample v stored as v * 257 must scale back to v.
        ByteArrayOutputStream p6 = new ByteArrayOutputStream();
        p6.writeBytes("P6 20 18 65535\n".getBytes(StandardCharsets.US_ASCII));
        for (byte v : small.pixels()) {
            int s = (v & 0xff) * 257;
            p6.write(s >> 8);
            p6.write(s & 0xff);
        }
        assertThat(decode(p6.toByteArray())).isEqualTo(small);
    }

    @Test
    void truncatedCorruptAndGiganticHeadersAreRefusedWithTypedErrors() {
        byte[] whole = PnmCodec.encode(PHOTO);
        assertRefused(Arrays.copyOf(whole, whole.length - 1), ErrorCode.IMAGE_DECODE_ERROR, "truncated");
        assertRefused(Arrays.copyOf(whole, 9), ErrorCode.IMAGE_DECODE_ERROR, "corrupt PGM/PPM");
        assertRefused("P6\n250 x 250\n255\n".getBytes(StandardCharsets.US_ASCII), ErrorCode.IMAGE_DECODE_ERROR, "height");
        assertRefused("P5\n0 250\n255\n".getBytes(StandardCharsets.US_ASCII), ErrorCode.IMAGE_DECODE_ERROR, "empty image");
        assertRefused("P5\n250 250\n70000\n".getBytes(StandardCharsets.US_ASCII), ErrorCode.IMAGE_DECODE_ERROR, "maxval");
        assertRefused("P2 20 20 15 16 3".getBytes(StandardCharsets.US_ASCII), ErrorCode.IMAGE_DECODE_ERROR, "exceeds maxval");
        assertRefused("P6\n99999999999 2\n255\n".getBytes(StandardCharsets.US_ASCII), ErrorCode.IMAGE_DECODE_ERROR, "too large");
        // 60000 x 60000 x 3 would be 10 GB: refused from the header of a 20-byte file, before any allocation.
        assertRefused("P6\n60000 60000\n255\n".getBytes(StandardCharsets.US_ASCII), ErrorCode.IMAGE_SIZE_REFUSED, "larger than the limit");
        assertRefused("P5\n8 8\n255\n".getBytes(StandardCharsets.US_ASCII), ErrorCode.IMAGE_SIZE_REFUSED, "too small");
    }

    private static void assertRefused(byte[] bytes, ErrorCode code, String messagePart) {
        assertThatThrownBy(() -> decode(bytes))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContaining(messagePart);
    }
}
