package dev.sameface.pipeline;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Template;
import dev.sameface.api.TemplateCodec;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.config.TemplateSettings;
import dev.sameface.pipeline.testing.TestData;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Templates altered outside sameface are refused, never scored: a vector rescaled or zeroed with its CRC recomputed
 * (what the CRC alone cannot catch), and, with a template key, any change at all, a wrong key, a protected template
 * without the key and a plain one where protection is required. Templates from a real photo and the real pipeline.
 */
class TemplateTamperingTest {
    @TempDir
    static Path dir;
    private static FacePipeline pipeline;
    private static Template g1;
    private static Template g2;

    @BeforeAll
    static void enrol() {
        pipeline = TestData.pipeline(TestData.defaultConfig());
        g1 = pipeline.createTemplate(TestData.lfw("George_W_Bush", 1));
        g2 = pipeline.createTemplate(TestData.lfw("George_W_Bush", 2));
        assertThat(g1.isFailed()).isFalse();
        assertThat(g2.isFailed()).isFalse();
    }

    @AfterAll
    static void close() {
        pipeline.close();
    }

    /** The plain template bytes with the vector replaced by {@code f(v)} and the CRC recomputed, as a forger would. */
    private static byte[] forged(Template t, java.util.function.DoubleUnaryOperator f) {
        byte[] bytes = TemplateCodec.encode(t);
        int dim = t.embedding().dimension();
        int start = bytes.length - 4 - 4 * dim;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < dim; i++) {
            b.putFloat(start + 4 * i, (float) f.applyAsDouble(b.getFloat(start + 4 * i)));
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        b.putInt(bytes.length - 4, (int) crc.getValue());
        return bytes;
    }

    private static void refused(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(FaceException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TEMPLATE_FORMAT_ERROR)).hasMessageContaining(message);
    }

    private static Path keyFile(String name) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path p = dir.resolve(name);
        Files.writeString(p, HexFormat.of().formatHex(key) + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    /** Reading and writing templates needs no detector or embedder: the comparator a configuration gives does both. */
    private static TemplateComparator withKey(Path key, boolean encrypt) {
        PipelineConfig c = TestData.defaultConfig().withTemplates(new TemplateSettings(key.toString(), encrypt));
        return Pipelines.matcherOnly(c, TestData.cache());
    }

    @Test
    void aVectorScaledByAHundredWithItsCrcRecomputedIsRefused() {
        byte[] scaled = forged(g1, v -> v * 100);
        refused(() -> TemplateCodec.decode(scaled), "L2 norm");
        refused(() -> pipeline.decode(scaled), "L2 norm");
        // Slightly off is refused too; the original, re-encoded exactly, is not.
        refused(() -> TemplateCodec.decode(forged(g1, v -> v * 1.01)), "L2 norm");
        assertThat(TemplateCodec.decode(forged(g1, v -> v)).embedding().vector()).containsExactly(g1.embedding().vector());
    }

    @Test
    void anAllZeroVectorWithItsCrcRecomputedIsRefused() {
        refused(() -> TemplateCodec.decode(forged(g1, v -> 0)), "L2 norm");
    }

    @Test
    void aNonFiniteValueIsRefused() {
        byte[] nan = forged(g1, v -> Double.NaN);
        refused(() -> TemplateCodec.decode(nan), "non-finite");
    }

    @Test
    void protectedTemplatesRoundTripAndScoreExactlyAsThePlainOnes() throws Exception {
        double plain = pipeline.similarity(g1, g2);
        for (boolean encrypt : new boolean[]{false, true}) {
            try (TemplateComparator p = withKey(keyFile("round-trip-" + encrypt + ".key"), encrypt)) {
                byte[] a = p.encode(g1);
                byte[] b = p.encode(g2);
                Template ta = p.decode(a);
                assertThat(ta.embedding().vector()).containsExactly(g1.embedding().vector());
                assertThat(ta.modelFingerprint()).isEqualTo(g1.modelFingerprint());
                assertThat(p.similarity(ta, p.decode(b))).as("encrypt %s", encrypt).isEqualTo(plain);
                byte[] vector = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(g1.embedding().vector()[0]).array();
                if (encrypt) {
                    // Encrypted: neither the model fingerprint nor the vector appear in the bytes.
                    assertThat(new String(a, StandardCharsets.ISO_8859_1)).doesNotContain(g1.modelFingerprint())
                            .doesNotContain(new String(vector, StandardCharsets.ISO_8859_1));
                }
            }
        }
    }

    @Test
    void everyFlippedByteOfAProtectedTemplateIsRefused() throws Exception {
        for (boolean encrypt : new boolean[]{false, true}) {
            try (TemplateComparator p = withKey(keyFile("flip-" + encrypt + ".key"), encrypt)) {
                byte[] good = p.encode(g1);
                for (int i = 0; i < good.length; i++) {
                    byte[] bad = good.clone();
                    bad[i] ^= 0x01;
                    int at = i;
                    assertThatThrownBy(() -> p.decode(bad)).as("encrypt %s, flip at byte %d of %d", encrypt, at, good.length)
                            .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TEMPLATE_FORMAT_ERROR));
                }
            }
        }
    }

    @Test
    void aMacTemplateAlteredInsideAndResignedWithoutTheKeyIsRefused() throws Exception {
        try (TemplateComparator p = withKey(keyFile("inside.key"), false)) {
            byte[] good = p.encode(g1);
            // The plain template sits inside the MAC envelope: scale its vector and fix its CRC, but not the MAC.
            byte[] inner = forged(g1, v -> v * 100);
            byte[] bad = good.clone();
            System.arraycopy(inner, 0, bad, 15, inner.length);
            refused(() -> p.decode(bad), "altered or forged");
        }
    }

    @Test
    void aWrongKeyIsRefused() throws Exception {
        for (boolean encrypt : new boolean[]{false, true}) {
            byte[] made;
            try (TemplateComparator p = withKey(keyFile("mine-" + encrypt + ".key"), encrypt)) {
                made = p.encode(g1);
            }
            try (TemplateComparator other = withKey(keyFile("theirs-" + encrypt + ".key"), encrypt)) {
                refused(() -> other.decode(made), "another key");
            }
        }
    }

    @Test
    void aProtectedTemplateWithoutTheKeyAndAPlainOneWhereAKeyIsRequiredAreRefused() throws Exception {
        try (TemplateComparator p = withKey(keyFile("required.key"), false)) {
            byte[] protectedBytes = p.encode(g1);
            refused(() -> pipeline.decode(protectedBytes), "templates.key-file");
            refused(() -> TemplateCodec.decode(protectedBytes), "templates.key-file");
            refused(() -> p.decode(TemplateCodec.encode(g1)), "not protected");
        }
    }

    @Test
    void aKeyFileOthersCanReadOrThatIsNotAKeyIsAConfigurationError() throws Exception {
        Path open = keyFile("open.key");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> withKey(open, false)).isInstanceOfSatisfying(FaceException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR)).hasMessageContaining("chmod 600");
        Path shortKey = dir.resolve("short.key");
        Files.writeString(shortKey, "00ff");
        Files.setPosixFilePermissions(shortKey, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> withKey(shortKey, false)).isInstanceOfSatisfying(FaceException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR)).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> withKey(dir.resolve("missing.key"), true)).isInstanceOfSatisfying(FaceException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR)).hasMessageContaining("does not exist");
    }
}
