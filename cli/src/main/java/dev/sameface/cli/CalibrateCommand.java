package dev.sameface.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sameface.evaluation.Calibration;
import dev.sameface.evaluation.ConfigurationSpec;
import dev.sameface.evaluation.Evaluation;
import dev.sameface.evaluation.Progress;
import dev.sameface.evaluation.ProtocolSpec;
import dev.sameface.evaluation.ScoreSet;
import dev.sameface.evaluation.TemplateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code sameface calibrate}: finds the threshold for a target FMR and writes it into a configuration file. */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Finds the lowest threshold T whose false match rate on the protocol's impostor comparisons is at most "
                        + "--fmr, and writes it as 'threshold' (with 'threshold-fmr' and a comment saying where it came from) "
                        + "into --write-config. Templates come from the same store as 'evaluate', so after an evaluation "
                        + "this computes nothing new.",
                "The target needs at least N/FMR impostor comparisons (N: --min-false-matches; 1e-3: 100,000)."},
        footer = {"", "Example:",
                "  sameface calibrate --fmr 1e-3 --protocol folders \\",
                "      --root lfw/images_deepfunneled --write-config my.yaml"})
final class CalibrateCommand implements Callable<Integer> {
    @Option(names = "--fmr", required = true, paramLabel = "RATE", description = "Target false match rate, e.g. 1e-3.")
    double fmr;

    @Option(names = "--min-false-matches", paramLabel = "N", defaultValue = "100",
            description = "Calibrate only when at least N false matches are expected at the target (impostors x FMR >= N). "
                    + "Default ${DEFAULT-VALUE}; lowest 30 (Doddington's rule of 30: 90%% confidence within +/-30%%).")
    int minFalseMatches;

    @Mixin
    ProtocolOptions protocol;

    @Mixin
    EnrolmentOptions enrolment;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The configuration to calibrate (default: the built-in one).")
    String config;

    @Option(names = "--set", paramLabel = "KEY=VALUE[,KEY=VALUE]", description = "Overrides applied to that configuration.")
    List<String> sets;

    @Option(names = "--write-config", required = true, paramLabel = "FILE",
            description = "Configuration file to write the threshold into: updated in place when it exists, else "
                    + "created from --config.")
    Path writeConfig;

    @Option(names = "--store", paramLabel = "DIR", description = "Template store folder (default $SAMEFACE_HOME/templates).")
    Path store;

    @Option(names = "--json", description = "Print the outcome as JSON; no progress bars.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Evaluation.checkTargets("--fmr targets", List.of(fmr));
        ScoreSet.checkMinFalseMatches("--min-false-matches", minFalseMatches);
        int threads = enrolment.threads();
        ProtocolSpec protocolSpec = protocol.spec();
        Path configFile = ConfigurationOptions.configPath(config);
        ConfigurationSpec cs = new ConfigurationSpec(ConfigurationOptions.label(configFile), configFile,
                ConfigurationOptions.overrides(sets));
        Calibration.Result r = Calibration.calibrate(new Calibration.Request(protocolSpec, cs, fmr, writeConfig,
                store != null ? store : TemplateStore.defaultDirectory(), threads, protocol.seed(), minFalseMatches),
                Progress.forConsole(json));
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            ObjectNode n = Json.object();
            n.put("threshold", Double.parseDouble(r.thresholdText()));
            n.put("target_fmr", r.targetFmr());
            n.set("operating_point", Json.MAPPER.valueToTree(r.operatingPoint()));
            n.put("fte", r.fte());
            n.put("config_file", r.configFile().toString());
            n.put("lost_records", r.templates().lostRecords());
            w.println(Json.write(n));
        } else {
            w.println(r.summary());
        }
        w.flush();
        return 0;
    }
}
