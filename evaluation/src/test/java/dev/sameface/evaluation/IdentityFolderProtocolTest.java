package dev.sameface.evaluation;

import dev.sameface.api.FaceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentityFolderProtocolTest {
    @TempDir
    Path tmp;

    @Test
    void lfwHasTheDocumentedAllPairsCounts() {
        // EVALUATION.md: 13,233 photos of 5,749 people; 242,257 genuine pairs among the 1,680 with >= 2 photos.
        PairSet p = IdentityFolderProtocol.read(SharedData.lfw().resolve("images_deepfunneled"), 20_000, 42);
        assertThat(p.images()).hasSize(13_233);
        assertThat(p.genuineCount()).isEqualTo(242_257);
        assertThat(p.genuineSubjectCount()).isEqualTo(1_680);
        assertThat(p.impostorCount()).isEqualTo(20_000);
        assertDistinctImpostorsOfDifferentPeople(p);
    }

    @Test
    void sampleIsSeededAndWithoutRepeats() throws Exception {
        Path root = people(new int[]{5, 4, 3, 1, 1, 2});
        PairSet a = IdentityFolderProtocol.read(root, 40, 1);
        PairSet b = IdentityFolderProtocol.read(root, 40, 1);
        PairSet c = IdentityFolderProtocol.read(root, 40, 2);
        assertThat(a.left()).isEqualTo(b.left());
        assertThat(a.right()).isEqualTo(b.right());
        assertThat(a.left().length == c.left().length && java.util.Arrays.equals(a.right(), c.right())
                && java.util.Arrays.equals(a.left(), c.left())).isFalse();
        // Genuine: C(5,2)+C(4,2)+C(3,2)+C(2,2) = 10+6+3+1.
        assertThat(a.genuineCount()).isEqualTo(20);
        assertThat(a.impostorCount()).isEqualTo(40);
        assertDistinctImpostorsOfDifferentPeople(a);
    }

    @Test
    void asksForMoreImpostorsThanExistGivesAllOfThem() throws Exception {
        Path root = people(new int[]{3, 2, 1});
        // 6 images: C(6,2) = 15 pairs, of which 3 + 1 are genuine.
        PairSet p = IdentityFolderProtocol.read(root, 1000, 9);
        assertThat(p.genuineCount()).isEqualTo(4);
        assertThat(p.impostorCount()).isEqualTo(11);
        assertDistinctImpostorsOfDifferentPeople(p);
        // The dense path (more than half of all pairs wanted) samples exactly as many as asked.
        PairSet q = IdentityFolderProtocol.read(root, 8, 9);
        assertThat(q.impostorCount()).isEqualTo(8);
        assertDistinctImpostorsOfDifferentPeople(q);
    }

    @Test
    void refusesARootWithoutPersonFolders() {
        assertThatThrownBy(() -> IdentityFolderProtocol.read(tmp.resolve("nope"), 10, 1))
                .isInstanceOf(FaceException.class).hasMessageContaining("is not a folder");
        assertThatThrownBy(() -> IdentityFolderProtocol.read(tmp, 10, 1))
                .isInstanceOf(FaceException.class).hasMessageContaining("root/Name/*.jpg");
    }

    private Path people(int[] counts) throws Exception {
        Path root = tmp.resolve("people");
        for (int s = 0; s < counts.length; s++) {
            Path dir = Files.createDirectories(root.resolve("P" + s));
            for (int i = 0; i < counts[s]; i++) {
                Files.writeString(dir.resolve("P" + s + "_" + i + ".jpg"), "x");
            }
        }
        Files.writeString(root.resolve("P0").resolve("notes.txt"), "not an image");
        return root;
    }

    private static void assertDistinctImpostorsOfDifferentPeople(PairSet p) {
        Set<Long> seen = new HashSet<>();
        int n = p.images().size();
        for (int i = 0; i < p.size(); i++) {
            if (p.genuine()[i]) {
                assertThat(p.subjects().get(p.left()[i])).isEqualTo(p.subjects().get(p.right()[i]));
                continue;
            }
            assertThat(p.subjects().get(p.left()[i])).isNotEqualTo(p.subjects().get(p.right()[i]));
            int a = Math.min(p.left()[i], p.right()[i]);
            int b = Math.max(p.left()[i], p.right()[i]);
            assertThat(seen.add((long) a * n + b)).as("impostor pair %d-%d repeated", a, b).isTrue();
        }
    }
}
