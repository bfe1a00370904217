package dev.sameface.torchscript;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.SamefaceHome;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sidecar of a real export, as set-up wrote it, and what an incomplete one gives. */
class TorchScriptSidecarTest {
    @TempDir
    Path dir;

    @Test
    @Tag("slow") // needs the TorchScript export (./sameface models prepare)
    void readsTheEmbedderExportsSidecar() {
        Path pt = SamefaceHome.models().resolve("fr-feature-512").resolve("fr-feature-512.pt");
        Path file = TorchScriptSidecar.pathFor(pt);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing; run: ./sameface models prepare fr-feature-512");
        }
        TorchScriptSidecar s = TorchScriptSidecar.read(file, "fr-feature-512");
        assertThat(s.sourceSha256()).matches("[0-9a-f]{64}");
        assertThat(s.inputs()).singleElement().satisfies(t -> assertThat(t.shape()).endsWith(3, 112, 112));
        assertThat(s.outputNames()).containsExactly("output");
        assertThat(s.outputsNamed(List.of("embedding"))).singleElement().satisfies(t -> assertThat(t.name()).isEqualTo("embedding"));
    }

    @Test
    void anIncompleteSidecarSaysWhatToRun() throws Exception {
        Path file = dir.resolve("m.pt.json");
        Files.writeString(file, "{\"source_sha256\": \"ab\", \"input_names\": [\"x\"], \"input_shapes\": [[1, 3]]}");
        assertThatThrownBy(() -> TorchScriptSidecar.read(file, "m")).isInstanceOfSatisfying(FaceException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.MODEL_MISSING);
            assertThat(e.getMessage()).contains("no 'output_names'").contains(TorchScriptSidecar.PREPARE);
        });
        assertThatThrownBy(() -> TorchScriptSidecar.read(dir.resolve("none.pt.json"), "m"))
                .isInstanceOf(FaceException.class).hasMessageContaining("has no verification sidecar");
    }
}
