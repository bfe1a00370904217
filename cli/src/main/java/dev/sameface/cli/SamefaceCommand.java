package dev.sameface.cli;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code sameface} command. Errors end in one line on stderr and an exit code from {@link ErrorCode}. */
@Command(name = "sameface", mixinStandardHelpOptions = true, versionProvider = SamefaceCommand.Version.class,
        description = {"Face verification on one CPU thread: detect -> align -> embed -> match.",
                "Scores are cosine similarities in [-1, 1]; two faces are the same person when the score is at or above",
                "the configured threshold, which is calibrated to hold the false-match rate (FMR) at 1e-3 on LFW:",
                "about one impostor pair in a thousand is accepted."},
        subcommands = {VerifyCommand.class, TemplateCommand.class, MatchCommand.class, ModelsCommand.class, BenchCommand.class,
                ModelBenchCommand.class, EvaluateCommand.class, CalibrateCommand.class, FrvtValidateCommand.class, FrvtDatasetCommand.class, FrvtFusionCommand.class,
                ServeCommand.class, ServeLoadCommand.class,
                CommandLine.HelpCommand.class})
public final class SamefaceCommand {

    /** Held so the level sticks: JUL keeps loggers weakly. */
    private static final java.util.logging.Logger ORT_LOG = java.util.logging.Logger.getLogger("ai.onnxruntime");

    public static void main(String[] args) {
        // ONNX Runtime's binding warns once when DJL's OnnxRuntime engine created its environment under another
        // name; that is expected when both engines run in one process and says nothing a user can act on.
        ORT_LOG.setLevel(java.util.logging.Level.SEVERE);
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SamefaceCommand());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            FaceException fe = find(e);
            if (fe != null) {
                commandLine.getErr().println("sameface: " + fe.code().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + fe.getMessage());
                return fe.code().exitCode();
            }
            commandLine.getErr().println("sameface: internal error: " + e);
            return ErrorCode.INTERNAL_ERROR.exitCode();
        });
        addHelpOption(cl);
        return cl;
    }

    /**
     * {@code -h, --help} on every command that does not declare it, so that {@code sameface models prepare --help}
     * shows that command's usage instead of "Unknown option" or "Missing required parameter".
     */
    private static void addHelpOption(CommandLine cl) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        if (spec.findOption("--help") == null) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        cl.getSubcommands().values().forEach(SamefaceCommand::addHelpOption);
    }

    private static FaceException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FaceException fe) {
                return fe;
            }
        }
        return null;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SamefaceCommand.class.getPackage().getImplementationVersion();
            return new String[]{"sameface " + (v == null ? "development build" : v)};
        }
    }
}
