package dev.sameface.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command's help renders as formatted text. Picocli formats descriptions with String.format, so a bare
 * {@code %} (as in "within 5% relative") makes it print a warning and the raw text, {@code %n} and all.
 */
class HelpTextTest {
    @Test
    void everyCommandsHelpIsFormatted() {
        List<String> broken = new ArrayList<>();
        int[] commands = {0};
        PrintStream err = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        // Picocli reports a description it could not format on standard error, then shows it raw.
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            visit(SamefaceCommand.commandLine(), broken, commands, warnings);
        } finally {
            System.setErr(err);
        }
        assertThat(commands[0]).as("commands visited").isGreaterThan(10);
        assertThat(broken).as("commands whose help picocli could not format").isEmpty();
    }

    /** {@code --help} works on every command, subcommands included, whatever they require otherwise. */
    @Test
    void everyCommandTakesHelp() {
        for (String[] command : List.of(new String[]{"verify"}, new String[]{"template"}, new String[]{"models"},
                new String[]{"models", "prepare"}, new String[]{"models", "add"}, new String[]{"bench"}, new String[]{"serve"})) {
            List<String> args = new ArrayList<>(List.of(command));
            args.add("--help");
            CliRun r = CliRun.run(args.toArray(String[]::new));
            assertThat(r.exit()).as("sameface %s --help: %s", String.join(" ", command), r.err()).isZero();
            assertThat(r.out()).as("sameface %s --help", String.join(" ", command))
                    .startsWith("Usage: sameface " + String.join(" ", command));
        }
    }

    private static void visit(CommandLine cl, List<String> broken, int[] commands, ByteArrayOutputStream warnings) {
        commands[0]++;
        warnings.reset();
        String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
        String warned = warnings.toString(StandardCharsets.UTF_8);
        if (usage.contains("%n") || warned.contains("Could not format")) {
            broken.add(cl.getCommandSpec().qualifiedName() + ": " + warned.strip());
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            visit(sub, broken, commands, warnings);
        }
    }
}
