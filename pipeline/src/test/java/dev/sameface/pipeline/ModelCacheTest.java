package dev.sameface.pipeline;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.SamefaceHome;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.models.ModelManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelCacheTest {
    @TempDir
    Path home;

    @Test
    void fetchedModelsMatchTheirManifestHashes() {
        ModelCache real = new ModelCache(ModelManifest.load(), SamefaceHome.resolve(), List.of());
        for (String id : List.of("ulfg-rfb-320", "fr-landmark-68", "fr-feature-512")) {
            assertThat(real.isReady(id)).as("%s fetched into %s (run ./sameface models fetch)", id, real.home()).isTrue();
        }
    }

    @Test
    void missingModelSaysHowToFetchIt() {
        ModelCache empty = new ModelCache(ModelManifest.load(), home, List.of());
        assertThatThrownBy(() -> empty.source("fr-feature-512"))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_MISSING))
                .hasMessageContaining("sameface models fetch").hasMessageContaining("faceplugin-face-recognition-js@0.0.1");
        assertThatThrownBy(() -> Pipelines.create(PipelineConfig.defaults(), empty))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_MISSING));
    }

    @Test
    void localOnlyModelIsNeverFoundSilently() {
        ModelCache noLocal = new ModelCache(ModelManifest.load(), home, List.of());
        assertThatThrownBy(() -> noLocal.source("yunet-n"))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_MISSING))
                .hasMessageContaining("SAMEFACE_LOCAL_MODELS");
    }

    @Test
    void tamperedModelIsRefused() throws IOException {
        ModelCache real = new ModelCache(ModelManifest.load(), SamefaceHome.resolve(), List.of());
        Path good = real.cachedFile("fr-landmark-68");
        ModelCache tmp = new ModelCache(ModelManifest.load(), home, List.of());
        Path copy = tmp.cachedFile("fr-landmark-68");
        Files.createDirectories(copy.getParent());
        byte[] bytes = Files.readAllBytes(good);
        bytes[bytes.length / 2] ^= 1;
        Files.write(copy, bytes);
        assertThatThrownBy(() -> tmp.source("fr-landmark-68"))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_CHECKSUM_MISMATCH))
                .hasMessageContaining("sha256");
    }
}
