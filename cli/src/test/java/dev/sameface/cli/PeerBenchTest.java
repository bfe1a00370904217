package dev.sameface.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code bench --peer}: the real Python peer (tools/peer, its venv made on first use by tools/peer/setup.sh; a
 * failure to make it fails these tests with the set-up command) against the Java pipeline on real LFW photos.
 */
@Tag("slow") // needs the peer benchmark venv
class PeerBenchTest {
    private static final Path TOOLS = Path.of(System.getProperty("sameface.tools", "../tools"));

    @Test
    void peerMatchesTheJavaPipelineOnLfwPhotos() throws Exception {
        CliRun r = CliRun.run("bench", TestData.lfwImages().toString(), "--images", "8", "--warmup", "1", "--peer", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode peer = Json.MAPPER.readTree(r.out()).get("peer");
        assertThat(peer.get("description").asText()).contains("onnxruntime 1.23.2").contains("cv2 threads 1").contains("denormals flushed");
        assertThat(peer.get("template").get("median_ms").asDouble()).isPositive();
        JsonNode parity = peer.get("parity");
        // Every photo either side enrolled, the other did too.
        assertThat(parity.get("enrolment_disagreements")).isEmpty();
        assertThat(parity.get("photos").asInt()).isEqualTo(8);
        // The networks see the same inputs up to float rounding: the detector's framing is warped in float on both
        // sides, and O-Net's crops are whole-pixel squares resampled by area in float, so both hand O-Net the same
        // square and its points agree to float precision (a square one pixel off would move them by a pixel or more).
        // The embedding differs only by OpenCV's fixed-point 8-bit warp of the aligned crop: 1 - cos ~1e-7 (docs/peer-benchmark.md).
        assertThat(parity.get("cosine_median").asDouble()).isGreaterThanOrEqualTo(0.99999);
        assertThat(parity.get("cosine_min").asDouble()).isGreaterThanOrEqualTo(0.9999);
        assertThat(parity.get("landmark_max_px").asDouble()).isLessThanOrEqualTo(0.01);
    }

    /**
     * With the embedder in int8 (its gated copy) the peer loads that very file, so the ratio compares like with like.
     * The embeddings then agree only to int8's own drift (rounding flips amplified layer by layer; 1 - cos up to
     * 0.013 measured on 30 photos), within twice the int8-to-f32 tolerance; the detector is f32 on both sides.
     */
    @Test
    void peerRunsTheInt8CopyWhenTheJavaEmbedderDoes() throws Exception {
        CliRun r = CliRun.run("bench", TestData.lfwImages().toString(), "--images", "6", "--warmup", "1", "--peer", "--json",
                "--set", "embedder.precision=int8");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode peer = Json.MAPPER.readTree(r.out()).get("peer");
        assertThat(peer.get("description").asText()).contains("embedder fr-feature-512.int8.onnx");
        JsonNode parity = peer.get("parity");
        assertThat(parity.get("enrolment_disagreements")).isEmpty();
        assertThat(parity.get("landmark_max_px").asDouble()).isLessThanOrEqualTo(0.01);
        assertThat(parity.get("cosine_min").asDouble())
                .isGreaterThanOrEqualTo(1 - 2 * dev.sameface.pipeline.testing.PrecisionTolerance.INT8_MAX_ONE_MINUS_COSINE);
        CliRun f32 = CliRun.run("bench", TestData.lfwImages().toString(), "--images", "2", "--warmup", "0", "--peer", "--json");
        assertThat(Json.MAPPER.readTree(f32.out()).get("peer").get("description").asText()).contains("embedder fr-feature-512.onnx");
    }

    @Test
    void peerMatchesTheJavaWholePhotoFallbackOnTightProfiles(@TempDir Path dir) throws Exception {
        // CFP-dev profiles cropped so tightly that no framing lets the Ultra-Light detector find the face.
        List<Path> tight = List.of(TestData.cfpDev(31, "profile", 4), TestData.cfpDev(120, "profile", 2),
                TestData.cfpDev(162, "profile", 3), TestData.cfpDev(175, "profile", 2));
        try (FacePipeline framedOnly = TestData.pipeline(PipelineConfig.defaults().withOverrides(Map.of("detector.options.whole-photo", "false")))) {
            for (Path p : tight) {
                assertThat(framedOnly.enrol(p).template().isFailed()).as("%s needs the whole-photo fallback", p).isTrue();
            }
        }
        for (Path p : tight) {
            Files.copy(p, dir.resolve(p.getParent().getParent().getFileName() + "-" + p.getFileName()));
        }
        CliRun r = CliRun.run("bench", dir.toString(), "--images", "4", "--warmup", "0", "--peer", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode parity = Json.MAPPER.readTree(r.out()).get("peer").get("parity");
        assertThat(parity.get("enrolment_disagreements")).isEmpty();
        assertThat(parity.get("photos").asInt()).isEqualTo(tight.size());
        // O-Net judges the same whole-pixel square around the photo on both sides: the bounds of the LFW test.
        assertThat(parity.get("cosine_min").asDouble()).isGreaterThanOrEqualTo(0.9999);
        assertThat(parity.get("landmark_max_px").asDouble()).isLessThanOrEqualTo(0.01);
    }

    @Test
    void peerExitsWhenClosedAndRefusesUseAfterClose() {
        var settings = PeerComparison.settings(PipelineConfig.defaults(), TestData.cache().home()).withFlushDenormals(false);
        PeerProcess peer = PeerProcess.start(TOOLS, settings);
        assertThat(peer.describe()).contains("denormals kept");
        PeerProcess.Result r = peer.enrol(TestData.lfw("Colin_Powell", 1));
        assertThat(r.failed()).as(r.error()).isFalse();
        assertThat(r.embedding()).hasSize(512);
        assertThat(peer.enrol(Path.of("/nonexistent/photo.jpg")).error()).isNotBlank();
        peer.close();
        assertThat(peer.exited()).isTrue();
        assertThatThrownBy(() -> peer.enrol(TestData.lfw("Colin_Powell", 1))).isInstanceOf(FaceException.class)
                .hasMessageContaining("after close");
    }

    @Test
    void peerRefusesAPipelineItDoesNotImplement() {
        CliRun r = CliRun.run("bench", TestData.lfwImages().toString(), "--images", "2", "--peer", "--flip-tta");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).contains("--peer implements only the default pipeline").contains("flip-tta=true");
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void peerRefusesTheFormerDefaultsItNoLongerImplements() {
        // The 68-point five points and the largest face were the default before O-Net and large-central.
        CliRun points = CliRun.run("bench", TestData.lfwImages().toString(), "--images", "2", "--peer", "--set", "detector.options.five-points=lids");
        assertThat(points.exit()).isEqualTo(2);
        assertThat(points.err().strip()).contains("--peer implements only the default pipeline").contains("five-points=lids");
        CliRun face = CliRun.run("bench", TestData.lfwImages().toString(), "--images", "2", "--peer", "--set", "face-selection=largest");
        assertThat(face.exit()).isEqualTo(2);
        assertThat(face.err().strip()).contains("--peer implements only the default pipeline").contains("face-selection largest");
        CliRun mirror = CliRun.run("bench", TestData.lfwImages().toString(), "--images", "2", "--peer", "--set", "detector.options.onet-mirror=false");
        assertThat(mirror.exit()).isEqualTo(2);
        assertThat(mirror.err().strip()).contains("--peer implements only the default pipeline").contains("onet-mirror=false");
    }

    @Test
    void peerRefusesSecondOpinionsOnThePoints() {
        CliRun r = CliRun.run("bench", TestData.lfwImages().toString(), "--images", "2", "--peer", "--set", "detector.options.yunet-points=yunet-n");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).contains("--peer implements only the default pipeline").contains("yunet-points=yunet-n");
    }
}
