package dev.sameface.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sameface calibrate}: finds the threshold for a target FMR and writes it into a configuration file. */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Finds the lowest threshold T whose false match rate on the protocol's impostor comparisons is at most "
                        + "--fmr, and writes it as 'threshold' (with 'threshold-fmr' and a comment saying where it came from) "
                        + "into --write-config. Templates come from the same store as 'evaluate', so after an evaluation "
                        + "this computes nothing new.",
                "The target needs at least 100/FMR impostor comparisons (1e-3: 100,000)."},
        footer = {"", "Example:",
                "  sameface calibrate --fmr 1e-3 --protocol folders \\",
                "      --root lfw/images_deepfunneled --write-config my.yaml"})
public final class CalibrateCommand implements Callable<Integer> {
    @Option(names = "--fmr", required = true, paramLabel = "RATE", description = "Target false match rate, e.g. 1e-3.")
    double fmr;

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

    private final ExtractorFactory factory;

    public CalibrateCommand() {
        this(new PipelineExtractorFactory());
    }

    public CalibrateCommand(ExtractorFactory factory) {
        this.factory = factory;
    }

    @Override
    public Integer call() throws IOException {
        EvaluateCommand.validateTargets(List.of(fmr));
        int threads = enrolment.threads();
        PairSet pairs = protocol.read();
        Path configFile = ConfigurationOptions.configPath(config);
        Map<String, String> overrides = ConfigurationOptions.overrides(sets);
        ConfigurationSpec cs = new ConfigurationSpec(ConfigurationOptions.label(configFile), configFile, overrides);
        Evaluation.Options options = new Evaluation.Options(List.of(fmr), protocol.seed(),
                store != null ? store : TemplateStore.defaultDirectory(), 50, 50, threads);
        EvaluationResult result = new Evaluation(factory, new PairScorer(), options, Progress.forConsole(json))
                .run(pairs, List.of(cs), protocol.samplingSeed());
        EvaluationResult.Configuration c = result.configurations().getFirst();
        OperatingPoint o = c.operatingPoints().getFirst();
        if (!o.measured()) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, String.format(Locale.ROOT,
                    "not enough impostors to calibrate at FMR %s: %,d comparisons, %,d needed (raise --impostors or use more people)",
                    Charts.fmrLabel(fmr), o.impostors(), o.impostorsNeeded()));
        }
        String fmrText = String.format(Locale.ROOT, "%s on %s, %,d impostor comparisons",
                Charts.fmrLabel(fmr), result.protocol().name(), o.impostors());
        String provenance = String.format(Locale.ROOT,
                "%s on %s%nFMR %s (%,d of %,d impostor comparisons reach it), FNMR %s over %,d genuine comparisons, FTE %s%n"
                        + "pipeline: %s",
                LocalDate.now(ZoneOffset.UTC), result.protocol().name(), Charts.percent(o.fmr()), o.falseMatches(),
                o.impostors(), Charts.percent(o.fnmr()), o.genuine(), Charts.percent(c.templates().fte()),
                c.description());
        ThresholdWriter.write(writeConfig, configFile, o.threshold(), fmrText, provenance);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("threshold", Double.parseDouble(ThresholdWriter.format(o.threshold())));
            m.put("targetFmr", fmr);
            m.put("operatingPoint", o);
            m.put("fte", c.templates().fte());
            m.put("configFile", writeConfig.toString());
            w.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        } else {
            w.printf(Locale.ROOT, "threshold %s at FMR %s (achieved %s, %,d/%,d impostors); FNMR there %s; written to %s%n",
                    ThresholdWriter.format(o.threshold()), Charts.fmrLabel(fmr), Charts.percent(o.fmr()), o.falseMatches(),
                    o.impostors(), Charts.percent(o.fnmr()), writeConfig);
        }
        w.flush();
        return 0;
    }
}
