package dev.sameface.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.sameface.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One bad byte in a real template store (made by {@code evaluate} from real LFW photos) costs one record: every
 * other record is recovered, the lost one is recomputed, and the terminal, result.json and report.md say so.
 */
class TemplateStoreRecoveryTest {
    private static final List<String> PEOPLE = List.of("George_W_Bush", "Colin_Powell", "Tony_Blair", "Donald_Rumsfeld");
    private static final int PHOTOS = 3;
    private static final int IMAGES = PEOPLE.size() * PHOTOS;

    @TempDir
    Path dir;
    Path root;
    Path store;

    @BeforeEach
    void enrolOnce() throws IOException {
        root = dir.resolve("people");
        for (String p : PEOPLE) {
            Path d = Files.createDirectories(root.resolve(p));
            for (int i = 1; i <= PHOTOS; i++) {
                Path photo = TestData.lfw(p, i);
                Files.copy(photo, d.resolve(photo.getFileName()));
            }
        }
        store = dir.resolve("store");
        JsonNode first = evaluate("first").json;
        assertThat(first.at("/templates/computed").asInt()).isEqualTo(IMAGES);
    }

    private record Run(String terminal, JsonNode json, String report) {
    }

    private Run evaluate(String name) throws IOException {
        Path out = dir.resolve(name);
        CliRun r = run("evaluate", "--protocol", "folders", "--root", root.toString(), "--store", store.toString(),
                "--threads", "1", "--fmr", "0.5", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode c = Json.MAPPER.readTree(out.resolve("result.json").toFile()).at("/configurations/0");
        return new Run(r.out() + r.err(), c, Files.readString(out.resolve("report.md")));
    }

    private Path storeFile() throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            return all.getFirst();
        }
    }

    /** Offsets of each record, walked by the documented format: header, then u32 length | 32-byte key | payload | u32 CRC. */
    private static List<Long> recordOffsets(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int fingerprintLength = Short.toUnsignedInt(b.getShort(6));
        List<Long> offsets = new ArrayList<>();
        for (long pos = 4 + 2 + 2 + fingerprintLength + 4; pos < b.capacity(); pos += 4 + 32 + b.getInt((int) pos) + 4) {
            offsets.add(pos);
        }
        return offsets;
    }

    private static void flip(Path file, long position) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(position);
            int b = f.read();
            f.seek(position);
            f.write(b ^ 0x5A);
        }
    }

    private static void assertOneRecordLostAndRecomputed(Run run) {
        assertThat(run.json.at("/templates/lost_records").asInt()).isEqualTo(1);
        assertThat(run.json.at("/templates/dropped_bytes").asLong()).isPositive();
        assertThat(run.json.at("/templates/computed").asInt()).isEqualTo(1);
        assertThat(run.json.at("/templates/reused").asInt()).isEqualTo(IMAGES - 1);
        assertThat(run.terminal).contains("template store was damaged: 1 record lost");
        assertThat(run.report).contains("template store was damaged: 1 record lost");
    }

    @Test
    void aFlippedByteInAMiddleRecordCostsThatRecordAlone() throws Exception {
        Path file = storeFile();
        List<Long> offsets = recordOffsets(file);
        assertThat(offsets).hasSize(IMAGES);
        int k = IMAGES / 2;
        // A byte inside record k's payload (past its length and key).
        flip(file, offsets.get(k) + 4 + 32 + 40);

        assertOneRecordLostAndRecomputed(evaluate("after-flip"));

        // The store was repaired whole: the next run reuses everything and finds nothing damaged.
        Run again = evaluate("again");
        assertThat(again.json.at("/templates/reused").asInt()).isEqualTo(IMAGES);
        assertThat(again.json.at("/templates/lost_records").asInt()).isZero();
        assertThat(recordOffsets(storeFile())).hasSize(IMAGES);
    }

    @Test
    void aFlippedByteInTheFirstLengthFieldCostsTheFirstRecordAlone() throws Exception {
        Path file = storeFile();
        flip(file, recordOffsets(file).getFirst());

        assertOneRecordLostAndRecomputed(evaluate("after-flip"));
        assertThat(recordOffsets(storeFile())).hasSize(IMAGES);
    }
}
