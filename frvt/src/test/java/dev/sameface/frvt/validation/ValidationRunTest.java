package dev.sameface.frvt.validation;

import dev.sameface.frvt.ConfigDirectory;
import dev.sameface.frvt.ReturnCode;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validation run end to end on a small LFW data set with its bad inputs: two worker processes a phase, NIST's
 * log formats, every check passing, and each bad input answered with the return code that names its fault.
 */
// Slow: six worker JVMs (two per phase), each loading the models, over a few minutes of LFW photos.
@Tag("slow")
class ValidationRunTest {
    @TempDir
    Path tmp;

    @Test
    void aSmallDataSetPassesEveryCheckAndEachBadInputGetsItsReturnCode() throws IOException, InterruptedException {
        Path data = tmp.resolve("data");
        DataSet.Made made = DataSet.make(TestData.lfwImages(), data, 6, 7);
        Path config = tmp.resolve("config");
        ConfigDirectory.create(config, TestData.defaultConfig(), TestData.cache());
        List<String> phasesSeen = new ArrayList<>();
        Validation.Report report = new Validation(data, tmp.resolve("out"), config, 2, (phase, done, total) -> {
            if (!phasesSeen.contains(phase)) {
                phasesSeen.add(phase);
            }
            assertThat(done).isBetween(0L, total);
        }).run();

        assertThat(report.checks()).allSatisfy(c -> assertThat(c.passed()).as(c.name() + ": " + c.detail()).isTrue());
        assertThat(phasesSeen).containsExactly("enroll", "verif", "match");
        assertThat(report.phases().get(2).logLines()).isEqualTo(made.matchLines());

        Map<String, Integer> verif = codes(tmp.resolve("out/verif.log"), 0, 3);
        assertThat(verif.get("bad-turned-90-ppm")).isEqualTo(ReturnCode.SUCCESS.code());
        assertThat(verif.get("bad-turned-180-ppm")).isEqualTo(ReturnCode.SUCCESS.code());
        assertThat(verif.get("bad-two-faces-ppm")).isEqualTo(ReturnCode.SUCCESS.code());
        assertThat(verif.get("bad-grey-pgm")).isEqualTo(ReturnCode.SUCCESS.code());
        assertThat(verif.get("bad-no-face-pgm")).isEqualTo(ReturnCode.FACE_DETECTION_ERROR.code());
        assertThat(verif.get("bad-empty-jpg")).isEqualTo(ReturnCode.PARSE_ERROR.code());
        assertThat(verif.get("bad-truncated-jpg")).isEqualTo(ReturnCode.PARSE_ERROR.code());
        assertThat(verif.get("bad-corrupt-jpg")).isEqualTo(ReturnCode.PARSE_ERROR.code());
        assertThat(verif.get("bad-truncated-ppm")).isEqualTo(ReturnCode.PARSE_ERROR.code());
        assertThat(verif.get("bad-gigapixel-ppm")).isEqualTo(ReturnCode.REFUSE_INPUT.code());
        assertThat(verif.get("bad-missing-file")).isEqualTo(ReturnCode.INPUT_LOCATION_ERROR.code());
        assertThat(codes(tmp.resolve("out/enroll.log"), 0, 3).get("enroll-mixed")).isEqualTo(ReturnCode.SUCCESS.code());
        // Its first image is the empty file: the logged eyes (the first image's) are unassigned.
        assertThat(Files.readAllLines(tmp.resolve("out/enroll.log"))).anySatisfy(l -> assertThat(l).startsWith("enroll-mixed ")
                .endsWith(" 0 0 0 0 0 0"));
        // A good photo's eyes: both assigned, the subject's left eye on the image's right.
        assertThat(Files.readAllLines(tmp.resolve("out/verif.log"))).filteredOn(l -> l.startsWith("verif-0000 ")).singleElement()
                .satisfies(l -> {
                    String[] f = l.split(" ");
                    assertThat(f[4]).isEqualTo("1");
                    assertThat(f[5]).isEqualTo("1");
                    assertThat(Integer.parseInt(f[6])).isGreaterThan(Integer.parseInt(f[8]));
                });

        List<String> match = Files.readAllLines(tmp.resolve("out/match.log"));
        double genuine = 0;
        double impostor = 0;
        for (String line : match) {
            String[] f = line.split(" ");
            if (f[0].startsWith("bad-") || f[1].startsWith("bad-") || f[0].startsWith("absent")) {
                // Turned, grey and two-face photos are good templates; every other bad input or template scores -1.
                if (Integer.parseInt(f[3]) == ReturnCode.SUCCESS.code()) {
                    assertThat(Double.parseDouble(f[2])).as(line).isBetween(0.0, 1.0);
                } else {
                    assertThat(f[2]).as(line).isEqualTo("-1.000000");
                }
            } else if (f[0].startsWith("enroll-0") && f[1].startsWith("verif-")) {
                boolean same = f[0].substring("enroll-".length(), "enroll-".length() + 4).equals(f[1].substring("verif-".length(), "verif-".length() + 4));
                if (same) {
                    genuine += Double.parseDouble(f[2]);
                } else {
                    impostor += Double.parseDouble(f[2]);
                }
            }
        }
        assertThat(genuine).as("genuine scores add up to more than impostor ones").isGreaterThan(impostor);
        assertThat(Files.readString(tmp.resolve("out/summary.txt"))).contains("PASS", "return codes");
    }

    private static Map<String, Integer> codes(Path log, int idColumn, int codeColumn) throws IOException {
        Map<String, Integer> m = new HashMap<>();
        for (String line : Files.readAllLines(log)) {
            String[] f = line.split(" ");
            assertThat(f).as(line).hasSize(10);
            m.put(f[idColumn], Integer.parseInt(f[codeColumn]));
        }
        return m;
    }
}
