package dev.sameface.evaluation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PairListProtocolTest {
    @TempDir
    Path tmp;

    @Test
    void readsLabelsInBothSpellingsAndPathsWithSpacesWhenTabSeparated() throws Exception {
        Files.createDirectories(tmp.resolve("my photos"));
        for (String f : new String[]{"a.jpg", "b.jpg", "my photos/c.jpg"}) {
            Files.writeString(tmp.resolve(f), "x");
        }
        Path list = tmp.resolve("pairs.lst");
        Files.writeString(list, """
                # my own pairs
                a.jpg b.jpg 1
                a.jpg\tmy photos/c.jpg\tdiff

                b.jpg a.jpg same
                b.jpg b.jpg 0
                """);
        PairSet p = PairListProtocol.read(list, null, true);
        assertThat(p.size()).isEqualTo(4);
        assertThat(p.genuine()).containsExactly(true, false, true, false);
        assertThat(p.images()).hasSize(3);
        assertThat(p.hasSubjects()).isFalse();
    }

    @Test
    void namesFileAndLineOfWhatIsWrong() throws Exception {
        Files.writeString(tmp.resolve("a.jpg"), "x");
        Path list = tmp.resolve("mine.txt");
        Files.writeString(list, "a.jpg a.jpg 1\na.jpg a.jpg maybe\n");
        assertThatThrownBy(() -> PairListProtocol.read(list, null, true))
                .isInstanceOf(FaceException.class).hasMessageContaining("mine.txt:2").hasMessageContaining("maybe")
                .satisfies(e -> assertThat(((FaceException) e).code()).isEqualTo(ErrorCode.CONFIG_ERROR));
        Files.writeString(list, "a.jpg 1\n");
        assertThatThrownBy(() -> PairListProtocol.read(list, null, true)).hasMessageContaining("mine.txt:1");
        Files.writeString(list, "# nothing\n\na.jpg missing.jpg 0\n");
        assertThatThrownBy(() -> PairListProtocol.read(list, null, true))
                .hasMessageContaining("mine.txt:3").hasMessageContaining("missing.jpg")
                .satisfies(e -> assertThat(((FaceException) e).code()).isEqualTo(ErrorCode.INPUT_LOCATION_ERROR));
        Files.writeString(list, "# nothing\n");
        assertThatThrownBy(() -> PairListProtocol.read(list, null, true)).hasMessageContaining("no 'imageA imageB label' line");
    }
}
