package dev.sameface.cli;

import dev.sameface.evaluation.ConfigurationSpec;
import dev.sameface.evaluation.Evaluation;
import dev.sameface.evaluation.EvaluationResult;
import dev.sameface.evaluation.Progress;
import dev.sameface.evaluation.ProtocolSpec;
import dev.sameface.evaluation.ReportWriter;
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

/** {@code sameface evaluate}: FNMR at fixed FMR, DET curves and score histograms for one or more configurations. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Measures verification accuracy the FRVT way: the threshold that holds the false match rate (FMR) at "
                        + "a target, and the false non-match rate (FNMR) there, with counts, failure-to-enrol rate and 95%% intervals.",
                "Writes result.json, report.md, det.png/svg and histogram-*.png/svg into --out. Each image's template is "
                        + "computed once per pipeline and kept in the template store; reruns reuse it and an interrupted run resumes."},
        footer = {"",
                "Examples:",
                "  sameface evaluate --protocol pairs --pairs lfw/pairs.txt --out eval-lfw",
                "  sameface evaluate --protocol folders --root lfw/images_deepfunneled \\",
                "      --impostors 2000000 --accuracy-pairs lfw/pairs.txt \\",
                "      --set embedder.options.flip-tta=true --out eval-lfw-all"})
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    ProtocolOptions protocol;

    @Mixin
    EnrolmentOptions enrolment;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A pipeline configuration (YAML) to evaluate; repeat for several, all on one DET chart. "
                    + "'default' is the built-in one (also used when none is given).")
    List<String> configs;

    @Option(names = "--set", paramLabel = "KEY=VALUE[,KEY=VALUE]",
            description = "Adds one configuration: the first --config with these overrides, e.g. "
                    + "embedder.options.flip-tta=true or engine=openvino. Repeat for more configurations.")
    List<String> sets;

    @Option(names = "--accuracy-pairs", paramLabel = "FILE",
            description = "Also report n-fold accuracy on this LFW-format pairs file (e.g. lfw/pairs.txt; images under "
                    + "--root, default images_deepfunneled/ beside it) from the same templates: one report with LFW "
                    + "accuracy and FNMR at low FMR.")
    Path accuracyPairs;

    @Option(names = "--fmr", split = ",", paramLabel = "RATE", defaultValue = "1e-2,1e-3,1e-4,1e-5",
            description = "Target FMRs (default ${DEFAULT-VALUE}). A target needs at least N/target impostor comparisons "
                    + "(N: --min-false-matches).")
    List<Double> targets;

    @Option(names = "--min-false-matches", paramLabel = "N", defaultValue = "100",
            description = "Report a target FMR only when at least N false matches are expected there (impostors x FMR >= N). "
                    + "Default ${DEFAULT-VALUE}; lowest 30 (Doddington's rule of 30: 90%% confidence within +/-30%%). "
                    + "Rows that pass only under a relaxed rule are marked in the report.")
    int minFalseMatches;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "sameface-evaluation",
            description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--store", paramLabel = "DIR",
            description = "Template store folder (default $SAMEFACE_HOME/templates).")
    Path store;

    @Option(names = "--json", description = "Print the result as JSON on standard output; no progress bars.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Evaluation.checkTargets("--fmr targets", targets);
        ScoreSet.checkMinFalseMatches("--min-false-matches", minFalseMatches);
        int threads = enrolment.threads();
        ProtocolSpec protocolSpec = protocol.spec();
        List<ConfigurationSpec> specs = ConfigurationOptions.evaluateSpecs(configs, sets);
        Evaluation.Options options = new Evaluation.Options(targets, protocol.seed(),
                store != null ? store : TemplateStore.defaultDirectory(), 200, 100, threads, minFalseMatches);
        EvaluationResult result = Evaluation.run(new Evaluation.Request(protocolSpec, accuracyPairs, specs, options),
                Progress.forConsole(json));
        ReportWriter.write(result, out);
        PrintWriter w = spec.commandLine().getOut();
        w.print(json ? ReportWriter.json(result) : ReportWriter.summary(result, out));
        w.flush();
        return 0;
    }
}
