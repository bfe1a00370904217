package dev.sameface.spark;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's {@code sameface spark ...} commands name themselves as the user typed them. */
class SparkHelpTest {
    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = SparkCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new String[]{Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void helpAndUsageSaySamefaceSpark() {
        for (String job : new String[]{"enrol", "score"}) {
            String[] help = run(job, "--help");
            assertThat(help[0]).isEqualTo("0");
            assertThat(help[1]).startsWith("Usage: sameface spark " + job + " ");
        }
        String[] top = run("--help");
        assertThat(top[1]).startsWith("Usage: sameface spark ").contains("enrol").contains("score");
        String[] wrong = run("enrol");
        assertThat(wrong[0]).isEqualTo("2");
        assertThat(wrong[2]).contains("Missing required option: '--out=DIR'").contains("Usage: sameface spark enrol ");
    }
}
