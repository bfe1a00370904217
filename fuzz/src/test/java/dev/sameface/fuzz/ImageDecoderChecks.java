package dev.sameface.fuzz;

import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.pipeline.image.ImageDecoder;

import static org.assertj.core.api.Assertions.assertThat;

/** The property every decoder target checks: an image within the limits, or a typed error; nothing else. */
final class ImageDecoderChecks {
    private ImageDecoderChecks() {
    }

    static void decodesOrRefuses(ImageDecoder decoder, byte[] bytes) {
        Image img;
        try {
            img = decoder.decode(bytes, "fuzz");
        } catch (FaceException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(img.width()).isBetween(16, 16_384);
        assertThat(img.height()).isBetween(16, 16_384);
        assertThat((long) img.pixels().length).isEqualTo((long) img.width() * img.height() * img.format().channels());
    }
}
