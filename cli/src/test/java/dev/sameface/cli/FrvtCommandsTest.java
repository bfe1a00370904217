package dev.sameface.cli;

import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The FRVT commands as a user runs them: the data set from LFW, and a validation run without one. */
class FrvtCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void frvtDatasetWritesTheListsAndEveryImageTheyName() throws IOException {
        Path out = tmp.resolve("ds");
        CliRun r = CliRun.run("frvt-dataset", "--lfw", TestData.lfwImages().toString(), "--out", out.toString(), "--people", "5");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> enrol = Files.readAllLines(out.resolve("input/enroll.txt"));
        assertThat(enrol).hasSize(5 + 1); // five people and the half-unreadable enrolment
        assertThat(r.out()).contains("5 people", enrol.size() + " enrolment lines");
        for (String line : enrol) {
            for (String image : line.split(" ")) {
                if (image.startsWith("images/") && !image.contains("bad-")) {
                    assertThat(out.resolve(image.replaceAll(":[a-z]+$", ""))).isRegularFile();
                }
            }
        }
        assertThat(Files.readAllLines(out.resolve("input/match.txt"))).contains("enroll-0000.template verif-0000.template");
    }

    @Test
    void frvtValidateWithoutADataSetSaysHowToMakeOne() {
        CliRun r = CliRun.run("frvt-validate", tmp.toString(), "--out", tmp.resolve("out").toString());
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err()).contains("enroll.txt is missing", "frvt-dataset");
    }
}
