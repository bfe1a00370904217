package dev.sameface.evaluation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
public final class EvaluateCommand implements Callable<Integer> {
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
            description = "Target FMRs (default ${DEFAULT-VALUE}). A target needs at least 100/target impostor comparisons.")
    List<Double> targets;

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

    private final ExtractorFactory factory;

    /** With the face pipeline of the {@code pipeline} module. */
    public EvaluateCommand() {
        this(new PipelineExtractorFactory());
    }

    public EvaluateCommand(ExtractorFactory factory) {
        this.factory = factory;
    }

    @Override
    public Integer call() {
        validateTargets(targets);
        int threads = enrolment.threads();
        PairSet pairs = protocol.read();
        List<ConfigurationSpec> specs = ConfigurationOptions.evaluateSpecs(configs, sets);
        Progress progress = Progress.forConsole(json);
        Evaluation.Options options = new Evaluation.Options(targets, protocol.seed(),
                store != null ? store : TemplateStore.defaultDirectory(), 200, 100, threads);
        PairSet accuracy = accuracyPairs == null ? null
                : LfwPairsProtocol.read(accuracyPairs, protocol.protocol == ProtocolOptions.Kind.folders && protocol.root != null
                ? protocol.root : ProtocolOptions.defaultPairsRoot(accuracyPairs), true);
        EvaluationResult result = new Evaluation(factory, new PairScorer(), options, progress)
                .run(pairs, accuracy, specs, protocol.samplingSeed());
        ReportWriter.write(result, out);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.print(ReportWriter.json(result));
        } else {
            w.print(summary(result, out));
        }
        w.flush();
        return 0;
    }

    static void validateTargets(List<Double> targets) {
        for (double t : targets) {
            if (!(t > 0 && t < 1)) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, "--fmr targets must be between 0 and 1, got " + t);
            }
        }
    }

    /** What a person reads on the console: per configuration, the operating points and the files. */
    static String summary(EvaluationResult r, Path out) {
        StringBuilder sb = new StringBuilder();
        EvaluationResult.Protocol p = r.protocol();
        sb.append(String.format(Locale.ROOT, "%s: %,d images, %,d genuine and %,d impostor comparisons%n",
                p.name(), p.images(), p.genuine(), p.impostors()));
        for (EvaluationResult.Configuration c : r.configurations()) {
            Enrolment.Stats s = c.templates();
            sb.append(String.format(Locale.ROOT, "%n%s  (templates: %,d computed, %,d reused; FTE %s = %,d failed; scoring %,.0f comparisons/s)%n",
                    c.label(), s.computed(), s.reused(), Charts.percent(s.fte()), s.failed(), c.comparisonsPerSecond()));
            for (OperatingPoint o : c.operatingPoints()) {
                if (!o.measured()) {
                    sb.append(String.format(Locale.ROOT, "  FMR %-5s  %s%n", Charts.fmrLabel(o.targetFmr()),
                            OperatingPoint.NOT_ENOUGH_IMPOSTORS.equals(o.status())
                                    ? String.format(Locale.ROOT, "not enough impostors (%,d, need %,d)", o.impostors(), o.impostorsNeeded())
                                    : o.status()));
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "  FMR %-5s  T = %.5f  FNMR %s [%s, %s] over all pairs",
                        Charts.fmrLabel(o.targetFmr()), o.threshold(), Charts.percent(o.fnmr()),
                        Charts.percent(o.fnmrInterval().low()), Charts.percent(o.fnmrInterval().high())));
                if (o.fnmrPerIdentity() != null) {
                    sb.append(String.format(Locale.ROOT, "; %s per identity", Charts.percent(o.fnmrPerIdentity())));
                }
                sb.append(String.format(Locale.ROOT, "  (FMR achieved %s)%n", Charts.percent(o.fmr())));
            }
            if (c.lfwAccuracy() != null) {
                sb.append(String.format(Locale.ROOT, "  %d-fold accuracy %.2f%% ± %.2f%%%n",
                        c.lfwAccuracy().accuracy().length, 100 * c.lfwAccuracy().mean(), 100 * c.lfwAccuracy().std()));
            }
        }
        sb.append(String.format(Locale.ROOT, "%nReport: %s%n", out.resolve("report.md")));
        return sb.toString();
    }
}
