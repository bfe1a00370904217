package dev.sameface.pipeline;

import dev.sameface.api.Embedding;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Landmarks5;
import dev.sameface.api.Template;
import dev.sameface.api.TemplateCodec;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Templates made from a real photo by the real default pipeline survive a round trip and refuse corruption. */
class TemplateCodecTest {
    private static FacePipeline pipeline;
    private static Template real;

    @BeforeAll
    static void enrol() {
        pipeline = TestData.pipeline(TestData.defaultConfig());
        real = pipeline.createTemplate(TestData.lfw("Colin_Powell", 1));
        assertThat(real.isFailed()).isFalse();
    }

    @AfterAll
    static void close() {
        pipeline.close();
    }

    @Test
    void roundTripKeepsEverything() {
        Template back = TemplateCodec.decode(TemplateCodec.encode(real));
        assertThat(back.modelFingerprint()).isEqualTo(real.modelFingerprint());
        assertThat(back.embedding().vector()).containsExactly(real.embedding().vector());
        assertThat(back.landmarks().imageLeftEye().x()).isCloseTo(real.landmarks().imageLeftEye().x(), org.assertj.core.data.Offset.offset(1e-3));
        assertThat(pipeline.similarity(back, real)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void failedTemplateRoundTripsAndMatchesNothing() {
        Template failed = Template.failed(real.modelFingerprint(), ErrorCode.NO_FACE);
        Template back = TemplateCodec.decode(TemplateCodec.encode(failed));
        assertThat(back.isFailed()).isTrue();
        assertThat(back.failure()).isEqualTo(ErrorCode.NO_FACE);
        var v = pipeline.verify(real, back);
        assertThat(v.same()).isFalse();
        assertThat(v.score()).isNaN();
        assertThatThrownBy(() -> pipeline.similarity(real, back)).isInstanceOf(FaceException.class);
    }

    @Test
    void everyFlippedByteIsDetected() {
        byte[] good = TemplateCodec.encode(real);
        for (int i = 0; i < good.length; i += 7) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            int at = i;
            assertThatThrownBy(() -> TemplateCodec.decode(bad)).as("flip at byte %d", at)
                    .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TEMPLATE_FORMAT_ERROR));
        }
    }

    @Test
    void truncatedTemplatesAreRejected() {
        byte[] good = TemplateCodec.encode(real);
        for (int n : new int[]{0, 3, 10, good.length / 2, good.length - 1}) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThatThrownBy(() -> TemplateCodec.decode(cut)).as("%d of %d bytes", n, good.length)
                    .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TEMPLATE_FORMAT_ERROR));
        }
    }

    @Test
    void foreignBytesAreRejected() throws Exception {
        byte[] jpeg = java.nio.file.Files.readAllBytes(TestData.lfw("Colin_Powell", 1));
        assertThatThrownBy(() -> TemplateCodec.decode(jpeg))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TEMPLATE_FORMAT_ERROR))
                .hasMessageContaining("not a sameface template");
    }

    @Test
    void templatesOfAnotherModelAreAnErrorNotAScore() {
        Template other = Template.of("other-model@0123456789abcdef", new Embedding(real.embedding().vector()), (Landmarks5) null);
        assertThatThrownBy(() -> pipeline.similarity(real, other))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TEMPLATE_MISMATCH));
    }
}
