package dev.sameface.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sameface.pipeline.image.ImageDecoder;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The API on a real server with two real pipelines, spoken to over loopback HTTP with LFW photos. */
class ServerApiTest {
    private static final long IMAGE_LIMIT = 512 << 10;
    private static SamefaceServer server;
    private static Http http;
    private static byte[] bush1, bush2, blair1;

    @BeforeAll
    static void start() throws InterruptedException {
        bush1 = ImageDecoder.read(TestData.lfw("George_W_Bush", 1));
        bush2 = ImageDecoder.read(TestData.lfw("George_W_Bush", 2));
        blair1 = ImageDecoder.read(TestData.lfw("Tony_Blair", 1));
        server = SamefaceServer.start(TestData.defaultConfig(), ServerSettings.defaults().withPort(0).withPipelines(2).withImageLimit(IMAGE_LIMIT));
        http = Http.to(server);
        assertThat(server.pool().awaitLoaded(Duration.ofMinutes(2))).as("pipelines loaded: %s", server.pool().failure()).isTrue();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    @Test
    void healthSaysReadyAndPipelineSaysWhatRuns() {
        var health = http.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("ready");
        JsonNode p = http.get("/v1/pipeline").json();
        assertThat(p.path("stages").path("embedder").path("model").asText()).isEqualTo(TestData.defaultConfig().embedder().model());
        assertThat(p.path("threshold").asDouble()).isEqualTo(TestData.defaultConfig().threshold());
        assertThat(p.path("pool").path("pipelines").asInt()).isEqualTo(2);
        var config = TestData.defaultConfig();
        assertThat(p.path("stages").path("embedder").path("engine").asText()).isEqualTo(config.engineFor(config.embedder()));
        assertThat(p.path("description").asText()).contains(config.embedder().model()).contains("1 intra-op");
    }

    @Test
    void verifyMultipartDecidesOnePersonSameWithFacesLandmarksAndTimings() {
        var r = http.multipart("/v1/verify", List.of(entry("a", bush1), entry("b", bush2)));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode v = r.json();
        assertThat(v.path("same").asBoolean()).isTrue();
        assertThat(v.path("score").asDouble()).isGreaterThanOrEqualTo(v.path("threshold").asDouble());
        assertThat(v.path("threshold_fmr").asText()).isNotBlank();
        for (String side : List.of("a", "b")) {
            JsonNode img = v.path(side);
            assertThat(img.path("faces").asInt()).isPositive();
            assertThat(img.path("box")).hasSize(4);
            assertThat(img.path("landmarks")).hasSize(5);
            // The eyes lie inside the chosen box.
            double x = img.path("box").get(0).asDouble(), w = img.path("box").get(2).asDouble();
            assertThat(img.path("eyes").path("subject_left").get(0).asDouble()).isBetween(x, x + w);
            assertThat(img.path("timings").path("embed_ms").asDouble()).isPositive();
            assertThat(img.has("aligned_png")).as("crops only when asked").isFalse();
        }
    }

    @Test
    void verifyJsonBase64DecidesTwoPeopleDifferentAndReturnsTheAlignedCrops() throws IOException {
        var r = http.json("/v1/verify", Map.of("a", b64(bush1), "b", b64(blair1), "crops", true));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode v = r.json();
        assertThat(v.path("same").asBoolean()).isFalse();
        assertThat(v.path("score").asDouble()).isLessThan(v.path("threshold").asDouble());
        for (String side : List.of("a", "b")) {
            BufferedImage crop = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(v.path(side).path("aligned_png").asText())));
            assertThat(crop.getWidth()).isEqualTo(112);
            assertThat(crop.getHeight()).isEqualTo(112);
        }
    }

    @Test
    void templatesThenMatchGiveTheSameScoreAsVerify() {
        var verify = http.multipart("/v1/verify", List.of(entry("a", bush1), entry("b", blair1))).json();
        var ta = http.multipart("/v1/templates", List.of(entry("images", bush1)));
        var tb = http.json("/v1/templates", Map.of("images", List.of(b64(blair1))));
        assertThat(ta.status()).as(ta.text()).isEqualTo(200);
        assertThat(tb.status()).as(tb.text()).isEqualTo(200);
        assertThat(ta.json().path("eyes").path("subject_right")).hasSize(2);
        var m = http.json("/v1/match", Map.of("a", ta.json().path("template").asText(), "b", tb.json().path("template").asText()));
        assertThat(m.status()).as(m.text()).isEqualTo(200);
        assertThat(m.json().path("score").asDouble()).isCloseTo(verify.path("score").asDouble(), within(1e-6));
        assertThat(m.json().path("same").asBoolean()).isEqualTo(verify.path("same").asBoolean());
    }

    @Test
    void severalPhotosOfOnePersonGiveOneTemplateThatMatchesAnotherPhotoOfThem() {
        var t = http.multipart("/v1/templates", List.of(entry("images", bush1), entry("images", ImageDecoder.read(TestData.lfw("George_W_Bush", 3)))));
        assertThat(t.status()).as(t.text()).isEqualTo(200);
        assertThat(t.json().path("images")).hasSize(2);
        var probe = http.multipart("/v1/templates", List.of(entry("images", bush2))).json().path("template").asText();
        var m = http.json("/v1/match", Map.of("a", t.json().path("template").asText(), "b", probe)).json();
        assertThat(m.path("same").asBoolean()).as(m.toString()).isTrue();
    }

    @Test
    void badInputIsA4xxWithItsErrorCodeAndLeaksNoPipeline() throws IOException {
        byte[] truncated = Arrays.copyOf(bush1, bush1.length / 3);
        byte[] text = "this is not an image".getBytes();
        byte[] big = new byte[(int) IMAGE_LIMIT + 1];
        System.arraycopy(bush1, 0, big, 0, bush1.length);

        expect(http.multipart("/v1/verify", List.of(entry("a", bush1), entry("b", truncated))), 422, "IMAGE_DECODE_ERROR");
        expect(http.multipart("/v1/verify", List.of(entry("a", text), entry("b", bush2))), 422, "IMAGE_DECODE_ERROR");
        expect(http.multipart("/v1/verify", List.of(entry("a", bush1), entry("b", big))), 413, "IMAGE_SIZE_REFUSED");
        expect(http.json("/v1/verify", Map.of("a", b64(bush1), "b", b64(big))), 413, "IMAGE_SIZE_REFUSED");
        expect(http.rawAnnounced("/v1/verify", "application/octet-stream", new byte[(int) server.pool().size() + (int) (8 * IMAGE_LIMIT)]), 413, "IMAGE_SIZE_REFUSED");
        expect(http.multipart("/v1/verify", List.of(entry("a", bush1))), 400, "INPUT_LOCATION_ERROR");
        expect(http.json("/v1/verify", Map.of("a", b64(bush1))), 400, "INPUT_LOCATION_ERROR");
        expect(http.json("/v1/verify", Map.of("a", b64(bush1), "b", "%%% not base64 %%%")), 400, "INPUT_LOCATION_ERROR");
        expect(http.raw("/v1/verify", "application/json", "{\"a\": ".getBytes()), 400, "INPUT_LOCATION_ERROR");
        expect(http.raw("/v1/verify", "text/plain", bush1), 415, "INPUT_LOCATION_ERROR");
        expect(http.multipart("/v1/match", List.of(entry("a", bush1), entry("b", bush2))), 415, "INPUT_LOCATION_ERROR");
        expect(http.multipart("/v1/templates", List.of(entry("images", noFace()))), 422, "NO_FACE");

        String good = http.multipart("/v1/templates", List.of(entry("images", bush1))).json().path("template").asText();
        byte[] tampered = Base64.getDecoder().decode(good);
        tampered[tampered.length / 2] ^= 0x5a;
        expect(http.json("/v1/match", Map.of("a", good, "b", b64(text))), 422, "TEMPLATE_FORMAT_ERROR");
        expect(http.json("/v1/match", Map.of("a", good, "b", b64(Arrays.copyOf(tampered, tampered.length - 7)))), 422, "TEMPLATE_FORMAT_ERROR");
        expect(http.get("/v1/nothing-here"), 404, "NOT_FOUND");

        // A photo without a face is a decision ("different", with the reason), not an error: NIST's convention.
        var noFace = http.multipart("/v1/verify", List.of(entry("a", noFace()), entry("b", bush2)));
        assertThat(noFace.status()).as(noFace.text()).isEqualTo(200);
        assertThat(noFace.json().path("same").asBoolean()).isFalse();
        assertThat(noFace.json().path("score").isNull()).isTrue();
        assertThat(noFace.json().path("a").path("failure").asText()).isEqualTo("NO_FACE");

        assertThat(server.pool().idle()).as("every pipeline back in the pool").isEqualTo(server.pool().size());
        assertThat(server.pool().queued()).isZero();
        assertThat(http.multipart("/v1/verify", List.of(entry("a", bush1), entry("b", bush2))).json().path("same").asBoolean()).isTrue();
    }

    @Test
    void metricsArePrometheusTextWithRequestsStagesPoolAndErrors() {
        http.multipart("/v1/verify", List.of(entry("a", bush1), entry("b", bush2)));
        http.raw("/v1/verify", "text/plain", bush1);
        String m = http.get("/metrics").text();
        assertThat(m).contains("# TYPE sameface_http_requests_seconds")
                .containsPattern("sameface_http_requests_seconds_count\\{endpoint=\"verify\",status=\"200\"} [1-9]")
                .containsPattern("sameface_stage_seconds_count\\{stage=\"embed\"} [1-9]")
                .contains("sameface_pool_queue_length")
                .containsPattern("sameface_errors_total\\{code=\"INPUT_LOCATION_ERROR\"} [1-9]");
    }

    @Test
    void servesItsOpenApiFileAndItsPage() {
        var api = http.get("/openapi.yaml");
        assertThat(api.status()).isEqualTo(200);
        assertThat(api.text()).contains("openapi: 3").contains("/v1/verify:").contains("/v1/templates:").contains("/v1/match:");
        var page = http.get("/");
        assertThat(page.header("Content-Type")).startsWith("text/html");
        // Works offline: no script, style or font from anywhere else.
        assertThat(page.text()).contains("v1/verify").doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void corsIsOffByDefault() {
        var r = http.get("/v1/pipeline", "Origin", "https://example.org");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Access-Control-Allow-Origin")).isNull();
    }

    private static void expect(Http.Answer r, int status, String code) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.code()).as(r.text()).isEqualTo(code);
        assertThat(r.json().path("error").path("message").asText()).isNotBlank();
    }

    /** A real, decodable photo with no face in it: a grey gradient. */
    private static byte[] noFace() throws IOException {
        BufferedImage img = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 200; x++) {
                int g = (x + y) * 255 / 400;
                img.setRGB(x, y, g << 16 | g << 8 | g);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
