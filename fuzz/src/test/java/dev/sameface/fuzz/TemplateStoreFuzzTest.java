package dev.sameface.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;
import dev.sameface.api.FaceException;
import dev.sameface.api.Template;
import dev.sameface.evaluation.TemplateStore;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the template store's record reader: a store file of any content opens (damaged records skipped and
 * counted) or is refused with a typed error; every template it hands out was read whole. Seeds are real stores:
 * the file a store writes after real templates are put in it.
 */
// Slow: a JVM of its own with Jazzer's agent, seeds from LFW, then fuzzing (30-110 s on 2 busy cores); CI runs it.
@Tag("slow")
class TemplateStoreFuzzTest {
    private static final String IDENTITY = "fuzz-identity";
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("sameface-store-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> seeds() throws IOException {
        Path dir = Files.createTempDirectory("sameface-store-seed");
        List<Template> templates = Seeds.templates();
        try (TemplateStore store = TemplateStore.open(dir, IDENTITY)) {
            byte[] key = new byte[32];
            for (int i = 0; i < templates.size(); i++) {
                key[0] = (byte) i;
                store.put(key.clone(), templates.get(i));
            }
        }
        byte[] file = Files.readAllBytes(TemplateStore.fileFor(dir, IDENTITY));
        return Stream.of(Arguments.of((Object) file));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "3s")
    void opensOrRefuses(byte[] bytes) throws IOException {
        Path file = TemplateStore.fileFor(DIR, IDENTITY);
        Files.write(file, bytes);
        try (TemplateStore store = TemplateStore.open(DIR, IDENTITY)) {
            assertThat(store.size()).isGreaterThanOrEqualTo(0);
            assertThat(store.lostRecords()).isGreaterThanOrEqualTo(0);
        } catch (FaceException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
