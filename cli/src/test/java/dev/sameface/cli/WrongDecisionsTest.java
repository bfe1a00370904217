package dev.sameface.cli;

import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

import static dev.sameface.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile run's wrong decisions, replayed as a user types them (issue 10, items 2-4): settings that made
 * everyone match or every photo faceless are refused at start-up, and templates altered outside sameface, or
 * protected with another key, are refused rather than scored. G1/G2 = George_W_Bush 1 and 2, B1 = Tony_Blair 1.
 */
class WrongDecisionsTest {
    private static final String G1 = TestData.lfw("George_W_Bush", 1).toString();
    private static final String G2 = TestData.lfw("George_W_Bush", 2).toString();
    private static final String B1 = TestData.lfw("Tony_Blair", 1).toString();

    @TempDir
    Path dir;

    @Test
    void scaleZeroIsAConfigurationErrorNotEveryoneMatching() {
        CliRun r = run("verify", G1, B1, "--set", "embedder.options.scale=0");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.out()).doesNotContain("SAME");
        assertThat(r.err()).contains("'scale'", "'0'", "not 0");
    }

    @Test
    void aScaleThatErasesTheFaceIsAnErrorNotAScore() {
        // In range, but every input value is a denormal, which the engines flush to 0: one vector for every face.
        CliRun r = run("verify", G1, B1, "--set", "embedder.options.scale=1e-42");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(7);
        assertThat(r.out()).doesNotContain("SAME");
        assertThat(r.err()).contains("input is constant");
    }

    @Test
    void outOfRangeDetectorSettingsAreRefusedAtStartUp() {
        for (String[] bad : new String[][]{{"detector.options.score-threshold=1.5", "'1.5'"}, {"detector.options.top-k=-5", "'-5'"},
                {"detector.options.nms-threshold=NaN", "'NaN'"}, {"aligner.engine=tensorrt", "tensorrt"}}) {
            CliRun r = run("verify", G1, G2, "--set", bad[0]);
            assertThat(r.exit()).as(bad[0] + ": " + r.out() + r.err()).isEqualTo(2);
            assertThat(r.err()).as(bad[0]).contains(bad[1]);
        }
    }

    private Path key(String name) throws Exception {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        Path p = dir.resolve(name);
        Files.writeString(p, HexFormat.of().formatHex(k), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    @Test
    void encryptedTemplatesMatchOnlyWithTheirKeyAndRefuseAlteration() throws Exception {
        Path key = key("site.key");
        String[] protect = {"--set", "templates.key-file=" + key, "--set", "templates.encrypt=true"};
        Path a = dir.resolve("g1.sft");
        Path b = dir.resolve("g2.sft");
        for (String[] enrol : new String[][]{{G1, a.toString()}, {G2, b.toString()}}) {
            CliRun t = run(concat(new String[]{"template", enrol[0], "-o", enrol[1]}, protect));
            assertThat(t.exit()).as(t.err()).isZero();
        }
        CliRun plain = run("verify", "--json", G1, G2);
        CliRun same = run(concat(new String[]{"match", "--json", a.toString(), b.toString()}, protect));
        assertThat(same.exit()).as(same.err()).isZero();
        // Protection changes nothing about the score.
        assertThat(Json.MAPPER.readTree(same.out()).get("score").asDouble())
                .isEqualTo(Json.MAPPER.readTree(plain.out()).get("score").asDouble());

        CliRun noKey = run("match", a.toString(), b.toString());
        assertThat(noKey.exit()).isEqualTo(6);
        assertThat(noKey.err()).contains("templates.key-file");

        CliRun otherKey = run("match", a.toString(), b.toString(), "--set", "templates.key-file=" + key("other.key"));
        assertThat(otherKey.exit()).isEqualTo(6);
        assertThat(otherKey.err()).contains("another key");

        byte[] bytes = Files.readAllBytes(a);
        bytes[bytes.length / 2] ^= 0x04;
        Path altered = Files.write(dir.resolve("altered.sft"), bytes);
        CliRun tampered = run(concat(new String[]{"match", altered.toString(), b.toString()}, protect));
        assertThat(tampered.exit()).isEqualTo(6);
        assertThat(tampered.out()).doesNotContain("SAME");
        assertThat(tampered.err()).contains("altered or forged");

        // A plain template handed to a configuration that requires protection is refused too.
        Path unprotected = dir.resolve("plain.sft");
        assertThat(run("template", G1, "-o", unprotected.toString()).exit()).isZero();
        CliRun mixed = run(concat(new String[]{"match", unprotected.toString(), b.toString()}, protect));
        assertThat(mixed.exit()).isEqualTo(6);
        assertThat(mixed.err()).contains("not protected");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
