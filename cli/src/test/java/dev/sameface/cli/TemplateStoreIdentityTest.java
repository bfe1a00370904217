package dev.sameface.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sameface.api.Template;
import dev.sameface.api.TemplateCodec;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;

import static dev.sameface.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The template store is keyed by the pipeline's identity, not its display text: with {@code engine: auto}, a new
 * {@code bench-models} measurement (a new timestamp in fastest-engines.yaml, the same engine chosen) leaves every
 * stored template usable; a store an earlier sameface keyed by display text is reported, not silently ignored.
 * Real LFW photos, real models, the commands as a user runs them.
 */
@Tag("slow") // times djl-pytorch, which needs the TorchScript export
class TemplateStoreIdentityTest {
    private static final List<String> PEOPLE = List.of("George_W_Bush", "Colin_Powell", "Tony_Blair");

    @TempDir
    Path dir;

    private Path people() throws IOException {
        return LfwPeople.copy(dir, PEOPLE, 4);
    }

    /** evaluate with the default pipeline on {@code engine: auto}, as one configuration file. */
    private CliRun evaluateOnAuto(Path root, Path store, String out) throws IOException {
        Path config = dir.resolve("auto.yaml");
        Files.writeString(config, PipelineConfig.defaults().withEngine("auto").toYaml());
        return run("evaluate", "--protocol", "folders", "--root", root.toString(), "--impostors", "100", "--fmr", "0.5",
                "--store", store.toString(), "--threads", "1", "--config", config.toString(), "--out", dir.resolve(out).toString(),
                "--json");
    }

    /**
     * A measurement of the two models the default pipeline's stages are chosen by, against an engine ONNX Runtime
     * beats by far (djl-pytorch: 1.4x to 4x slower on these models), so both runs choose the same engines and only
     * the measurement's timestamp and figures change. djl-pytorch needs the TorchScript copies:
     * ./sameface models prepare fr-feature-512 ulfg-rfb-320.
     */
    private static CliRun benchModels() {
        return run("bench-models", "--engines", "onnxruntime,djl-pytorch", "--models", "ulfg-rfb-320,fr-feature-512", "--iterations", "3",
                "--warmup", "1", "--cosine-photos", "2", "--photos", TestData.lfwImages().toString());
    }

    @Test
    void reRunningBenchModelsDoesNotOrphanStoredTemplates() throws Exception {
        Path measured = dir.resolve("bench/fastest-engines.yaml");
        System.setProperty("sameface.fastest-engines", measured.toString());
        try {
            Path root = people();
            Path store = dir.resolve("templates");
            CliRun bench1 = benchModels();
            assertThat(bench1.exit()).as(bench1.err()).isZero();
            String firstMeasurement = Files.readString(measured);

            CliRun first = evaluateOnAuto(root, store, "out-1");
            assertThat(first.exit()).as(first.err()).isZero();
            JsonNode c1 = Json.MAPPER.readTree(first.out()).at("/configurations/0");
            assertThat(c1.at("/templates/computed").asInt()).isEqualTo(12);
            assertThat(c1.at("/description").asText()).as("describe() says why auto chose").contains("auto -> onnxruntime");
            assertThat(c1.at("/identity").asText()).contains("engine.embedder=onnxruntime | ONNX Runtime")
                    .doesNotContain(measuredTimestamp(firstMeasurement));

            Thread.sleep(1100);
            CliRun bench2 = benchModels();
            assertThat(bench2.exit()).as(bench2.err()).isZero();
            String secondMeasurement = Files.readString(measured);
            assertThat(measuredTimestamp(secondMeasurement)).as("bench-models wrote a new measurement")
                    .isNotEqualTo(measuredTimestamp(firstMeasurement));
            assertThat(fastestLines(secondMeasurement)).as("the same engines chosen").isEqualTo(fastestLines(firstMeasurement))
                    .containsOnly("fastest: onnxruntime");

            CliRun second = evaluateOnAuto(root, store, "out-2");
            assertThat(second.exit()).as(second.err()).isZero();
            JsonNode c2 = Json.MAPPER.readTree(second.out()).at("/configurations/0");
            assertThat(c2.at("/templates/computed").asInt()).as("no template computed again").isZero();
            assertThat(c2.at("/templates/reused").asInt()).isEqualTo(12);
            assertThat(c2.at("/identity").asText()).isEqualTo(c1.at("/identity").asText());
            assertThat(c2.at("/fingerprint").asText()).isEqualTo(c1.at("/fingerprint").asText());
        } finally {
            System.clearProperty("sameface.fastest-engines");
        }
    }

    @Test
    void aStoreOfAnEarlierSamefaceIsReportedNotReused() throws Exception {
        Path root = people();
        Path store = Files.createDirectories(dir.resolve("templates"));
        // What sameface wrote before the identity: version 1, keyed by "fingerprint | describe()".
        Path photo = TestData.lfw("Colin_Powell", 1);
        Template t = Template.failed("fr-feature-512@87aacdfe57510db2", dev.sameface.api.ErrorCode.NO_FACE);
        writeVersion1Store(store.resolve("templates-0123456789abcdef0123.sfts"),
                "fr-feature-512@87aacdfe57510db2/abc | detector ultralight ...; embedder: auto -> onnxruntime (measured on 2026-11-28T09:00:00Z)",
                List.of(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(photo)),
                        new byte[32]), t);

        CliRun r = run("evaluate", "--protocol", "folders", "--root", root.toString(), "--impostors", "100", "--fmr", "0.5",
                "--store", store.toString(), "--threads", "1", "--out", dir.resolve("out").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String note = "1 template store(s) in " + store + " made by an earlier sameface, 2 records not reused";
        assertThat(r.out()).contains(note).contains("12 computed, 0 reused");
        assertThat(Files.readString(dir.resolve("out/report.md"))).contains("- Note: " + note);
        assertThat(Json.MAPPER.readTree(dir.resolve("out/result.json").toFile()).at("/notes/0").asText()).startsWith(note);
    }

    private static List<String> fastestLines(String yaml) {
        return yaml.lines().map(String::trim).filter(l -> l.startsWith("fastest:")).toList();
    }

    private static String measuredTimestamp(String yaml) {
        return yaml.lines().filter(l -> l.trim().startsWith("measured:")).findFirst().orElseThrow().trim();
    }

    /** The version 1 layout: "SFTS" u16 1, u16 key length, key, CRC-32; then length, image SHA-256, payload, CRC-32. */
    private static void writeVersion1Store(Path file, String key, List<byte[]> digests, Template t) throws IOException {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer h = ByteBuffer.allocate(4 + 2 + 2 + k.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        h.put(new byte[]{'S', 'F', 'T', 'S'}).putShort((short) 1).putShort((short) k.length).put(k);
        h.putInt(crc(h.array(), h.position()));
        var bytes = new java.io.ByteArrayOutputStream();
        bytes.write(h.array());
        byte[] payload = TemplateCodec.encode(t);
        for (byte[] digest : digests) {
            ByteBuffer rec = ByteBuffer.allocate(4 + 32 + payload.length + 4).order(ByteOrder.LITTLE_ENDIAN);
            rec.putInt(payload.length).put(digest).put(payload);
            rec.putInt(crc(rec.array(), rec.position()));
            bytes.write(rec.array());
        }
        Files.write(file, bytes.toByteArray());
    }

    private static int crc(byte[] b, int length) {
        CRC32 c = new CRC32();
        c.update(b, 0, length);
        return (int) c.getValue();
    }
}
