package dev.sameface.evaluation;

import dev.sameface.api.Embedding;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Template;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateStoreTest {
    private static final String FP = "fr-feature-512@abc/123 | detector x, embedder y";
    @TempDir
    Path dir;

    static byte[] key(int i) {
        return ImageDigest.sha256(("image-" + i).getBytes(StandardCharsets.UTF_8));
    }

    static Template template(int i) {
        if (i % 7 == 3) {
            return Template.failed("model-a", ErrorCode.NO_FACE);
        }
        SplittableRandom r = new SplittableRandom(i);
        float[] v = new float[512];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) r.nextGaussian();
        }
        return Template.of("model-a", Embedding.normalised(v), null);
    }

    private void fill(int n) {
        try (TemplateStore s = TemplateStore.open(dir, FP)) {
            for (int i = 0; i < n; i++) {
                s.put(key(i), template(i));
            }
        }
    }

    private static void assertSame(Template a, Template b) {
        assertThat(a.isFailed()).isEqualTo(b.isFailed());
        if (a.isFailed()) {
            assertThat(a.failure()).isEqualTo(b.failure());
        } else {
            assertThat(a.embedding().vector()).isEqualTo(b.embedding().vector());
        }
        assertThat(a.modelFingerprint()).isEqualTo(b.modelFingerprint());
    }

    @Test
    void templatesSurviveReopening() {
        fill(30);
        try (TemplateStore s = TemplateStore.open(dir, FP)) {
            assertThat(s.size()).isEqualTo(30);
            assertThat(s.droppedBytes()).isZero();
            for (int i = 0; i < 30; i++) {
                assertSame(s.get(key(i)), template(i));
            }
            assertThat(s.get(key(99))).isNull();
        }
    }

    @Test
    void aRunKilledInTheMiddleOfARecordResumesWithoutIt() throws Exception {
        fill(20);
        Path file = TemplateStore.fileFor(dir, FP);
        long full = Files.size(file);
        // Cut the last record in half, as a killed process would leave it.
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(full - 1000);
        }
        try (TemplateStore s = TemplateStore.open(dir, FP)) {
            assertThat(s.size()).isEqualTo(19);
            assertThat(s.droppedBytes()).isPositive();
            assertThat(s.get(key(19))).isNull();
            for (int i = 0; i < 19; i++) {
                assertSame(s.get(key(i)), template(i));
            }
            // The torn tail is gone from disk, so the resumed run appends cleanly after record 19.
            s.put(key(19), template(19));
            s.put(key(20), template(20));
        }
        try (TemplateStore s = TemplateStore.open(dir, FP)) {
            assertThat(s.size()).isEqualTo(21);
            assertThat(s.droppedBytes()).isZero();
            assertSame(s.get(key(20)), template(20));
        }
    }

    @Test
    void aFlippedByteInTheLastRecordIsCaughtByItsChecksum() throws Exception {
        fill(5);
        Path file = TemplateStore.fileFor(dir, FP);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long pos = f.length() - 100;
            f.seek(pos);
            int b = f.read();
            f.seek(pos);
            f.write(b ^ 0x40);
        }
        try (TemplateStore s = TemplateStore.open(dir, FP)) {
            assertThat(s.size()).isEqualTo(4);
            assertThat(s.droppedBytes()).isPositive();
        }
    }

    @Test
    void aRunKilledWhileWritingTheHeaderStartsAfresh() throws Exception {
        Path file = TemplateStore.fileFor(dir, FP);
        Files.createDirectories(dir);
        Files.write(file, new byte[]{'S', 'F'});
        try (TemplateStore s = TemplateStore.open(dir, FP)) {
            assertThat(s.size()).isZero();
            s.put(key(1), template(1));
        }
        try (TemplateStore s = TemplateStore.open(dir, FP)) {
            assertThat(s.size()).isEqualTo(1);
        }
    }

    @Test
    void eachFingerprintHasItsOwnStore() {
        fill(3);
        try (TemplateStore other = TemplateStore.open(dir, FP + " flip-tta")) {
            assertThat(other.size()).isZero();
            assertThat(other.file()).isNotEqualTo(TemplateStore.fileFor(dir, FP));
        }
    }

    @Test
    void oneRunAtATimeAndNoUseAfterClose() {
        TemplateStore s = TemplateStore.open(dir, FP);
        assertThatThrownBy(() -> TemplateStore.open(dir, FP))
                .isInstanceOf(FaceException.class).hasMessageContaining("in use");
        s.close();
        s.close();
        assertThatThrownBy(() -> s.get(key(1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.put(key(1), template(1))).isInstanceOf(IllegalStateException.class);
        TemplateStore.open(dir, FP).close();
    }
}
