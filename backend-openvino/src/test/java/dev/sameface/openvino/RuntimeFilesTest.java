package dev.sameface.openvino;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.openvino.binding.RuntimeFiles;
import dev.sameface.pipeline.models.ModelFetcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A damaged OpenVINO runtime is refused before anything native loads (issue 10, item 8): a truncated
 * {@code libopenvino_intel_cpu_plugin.so} used to be mapped and kill the JVM with SIGBUS.
 */
class RuntimeFilesTest {
    private static final String CPU_PLUGIN = "libopenvino_intel_cpu_plugin.so";

    @TempDir
    Path tmp;

    /** The installed runtime, every file linked into {@code tmp} except those the test replaces. */
    private Path linkedRuntime(String... copied) throws IOException {
        Path real = OpenVinoRuntime.directory();
        if (!Files.isRegularFile(real.resolve(CPU_PLUGIN))) {
            fail("no OpenVINO runtime at " + real + "; run: ./sameface models fetch");
        }
        Path dir = tmp.resolve("openvino");
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(real)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (java.util.Arrays.asList(copied).contains(name)) {
                    Files.copy(f, dir.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
                } else {
                    Files.createSymbolicLink(dir.resolve(name), f);
                }
            }
        }
        return dir;
    }

    private static void assertRefused(Path dir, String... messageParts) {
        assertThatThrownBy(() -> new OpenVinoEngineProvider(dir).create(EngineOptions.singleThreaded()))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ENGINE_UNAVAILABLE))
                .hasMessageContaining("damaged").hasMessageContaining("models fetch").hasMessageContaining(messageParts[0])
                .hasMessageContaining(messageParts[messageParts.length - 1]);
    }

    @Test
    void anIntactRuntimeWithItsFileListPasses() throws IOException {
        Path dir = linkedRuntime();
        ModelFetcher.writeFileList(dir);
        assertThat(Files.readAllLines(dir.resolve(RuntimeFiles.LIST))).anyMatch(l -> l.endsWith(" " + CPU_PLUGIN));
        assertThatCode(() -> RuntimeFiles.verify(dir)).doesNotThrowAnyException();
    }

    @Test
    void aTruncatedCpuPluginIsRefusedWithoutAFileList() throws IOException {
        // An install made before file lists existed, or a system install: the ELF headers still tell the truth.
        Path dir = linkedRuntime(CPU_PLUGIN);
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(CPU_PLUGIN).toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        assertRefused(dir, CPU_PLUGIN, "truncated");
    }

    @Test
    void aFileShorterThanTheListSaysIsRefused() throws IOException {
        Path dir = linkedRuntime(CPU_PLUGIN);
        ModelFetcher.writeFileList(dir);
        // Cut only the tail: past every ELF header's reach, caught by the listed size alone.
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(CPU_PLUGIN).toFile(), "rw")) {
            f.setLength(f.length() - 1);
        }
        assertRefused(dir, CPU_PLUGIN, "bytes, the install had");
    }

    @Test
    void aFileChangedInPlaceIsCaughtByItsHash() throws IOException {
        String small = "libtbbbind_2_5.so.3";
        Path dir = linkedRuntime(small);
        ModelFetcher.writeFileList(dir);
        Path f = dir.resolve(small);
        FileTime before = Files.getLastModifiedTime(f);
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(f, bytes);
        Files.setLastModifiedTime(f, FileTime.fromMillis(before.toMillis() + 5_000));
        assertRefused(dir, small, "modified after install");
    }
}
