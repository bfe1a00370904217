package dev.sameface.evaluation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LfwPairsProtocolTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheRealPairsFileAsTenFoldsOf300SameAnd300Different() {
        Path lfw = SharedData.lfw();
        PairSet p = LfwPairsProtocol.read(lfw.resolve("pairs.txt"), lfw.resolve("images_deepfunneled"), true);
        assertThat(p.size()).isEqualTo(6000);
        assertThat(p.genuineCount()).isEqualTo(3000);
        assertThat(p.impostorCount()).isEqualTo(3000);
        assertThat(p.folds()).isEqualTo(10);
        assertThat(p.hasFolds()).isTrue();
        for (int f = 0; f < 10; f++) {
            int same = 0;
            int diff = 0;
            for (int i = 0; i < p.size(); i++) {
                if (p.fold()[i] == f) {
                    if (p.genuine()[i]) {
                        same++;
                    } else {
                        diff++;
                    }
                }
            }
            assertThat(same).as("fold %d same", f).isEqualTo(300);
            assertThat(diff).as("fold %d different", f).isEqualTo(300);
        }
        // First line after the header: "Abel_Pacheco 1 4".
        assertThat(p.images().get(p.left()[0]).toString()).endsWith("Abel_Pacheco/Abel_Pacheco_0001.jpg");
        assertThat(p.images().get(p.right()[0]).toString()).endsWith("Abel_Pacheco/Abel_Pacheco_0004.jpg");
        assertThat(p.genuine()[0]).isTrue();
        for (int i = 0; i < p.size(); i++) {
            String a = p.subjects().get(p.left()[i]);
            String b = p.subjects().get(p.right()[i]);
            assertThat(a.equals(b)).isEqualTo(p.genuine()[i]);
            assertThat(Files.isRegularFile(p.images().get(p.left()[i]))).isTrue();
        }
        // Images shared by several pairs are listed once.
        assertThat(p.images()).doesNotHaveDuplicates();
    }

    @Test
    void readsTheSingleFoldDevTestFormat() {
        Path lfw = SharedData.lfw();
        PairSet p = LfwPairsProtocol.read(lfw.resolve("pairsDevTest.txt"), lfw.resolve("images_deepfunneled"), true);
        assertThat(p.size()).isEqualTo(1000);
        assertThat(p.genuineCount()).isEqualTo(500);
        assertThat(p.hasFolds()).isFalse();
    }

    @Test
    void namesFileAndLineOfAMalformedLine() throws Exception {
        Path root = tmp.resolve("img");
        for (String n : new String[]{"Ann", "Bob"}) {
            Files.createDirectories(root.resolve(n));
            for (int i = 1; i <= 2; i++) {
                Files.writeString(LfwPairsProtocol.imagePath(root, n, i), "x");
            }
        }
        Path bad = tmp.resolve("pairs.txt");
        Files.writeString(bad, "1 1\nAnn 1 2\nAnn 1 Bob\n");
        assertThatThrownBy(() -> LfwPairsProtocol.read(bad, root, true))
                .isInstanceOf(FaceException.class)
                .hasMessageContaining("pairs.txt:3")
                .satisfies(e -> assertThat(((FaceException) e).code()).isEqualTo(ErrorCode.CONFIG_ERROR));
        Files.writeString(bad, "1 1\nAnn 1 x\nAnn 1 Bob 2\n");
        assertThatThrownBy(() -> LfwPairsProtocol.read(bad, root, true)).hasMessageContaining("pairs.txt:2");
        Files.writeString(bad, "ten 300\n");
        assertThatThrownBy(() -> LfwPairsProtocol.read(bad, root, true)).hasMessageContaining("pairs.txt:1");
        Files.writeString(bad, "1 2\nAnn 1 2\nBob 1 2\nAnn 1 Bob 1\n");
        assertThatThrownBy(() -> LfwPairsProtocol.read(bad, root, true)).hasMessageContaining("ends after 3 of the 4");
        Files.writeString(bad, "1 1\nAnn 1 2\nAnn 1 Bob 9\n");
        assertThatThrownBy(() -> LfwPairsProtocol.read(bad, root, true))
                .hasMessageContaining("pairs.txt:3").hasMessageContaining("Bob_0009.jpg")
                .satisfies(e -> assertThat(((FaceException) e).code()).isEqualTo(ErrorCode.INPUT_LOCATION_ERROR));
        Files.writeString(bad, "1 1\nAnn 1 2\nAnn 1 Bob 2\nAnn 2 1\n");
        assertThatThrownBy(() -> LfwPairsProtocol.read(bad, root, true)).hasMessageContaining("pairs.txt:4");
        PairSet ok = LfwPairsProtocol.read(tmpWrite(bad, "1 1\nAnn 1 2\nAnn 1 Bob 2\n\n"), root, true);
        assertThat(ok.size()).isEqualTo(2);
        assertThat(ok.images()).hasSize(3);
    }

    private static Path tmpWrite(Path p, String s) throws Exception {
        Files.writeString(p, s);
        return p;
    }
}
