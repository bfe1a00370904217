package dev.sameface.evaluation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * Finds the lowest threshold whose FMR on a protocol's impostor comparisons is at most a target, and writes it
 * (with where it came from) into a configuration file. Templates come from the same store as {@link Evaluation},
 * so after an evaluation this computes nothing new.
 */
public final class Calibration {
    private Calibration() {
    }

    /**
     * @param configuration the configuration calibrated; its file (if any) is copied when {@code writeConfig} is new
     * @param targetFmr       the false match rate to hold, e.g. 1e-3; needs at least minFalseMatches/target impostor
     *                        comparisons
     * @param writeConfig     the YAML file the threshold is written into, updated in place when it exists
     * @param storeDir        the template store folder
     * @param threads         enrolment workers, 1..cores
     * @param bootstrapSeed   seeds the bootstrap over people behind the reported FNMR intervals
     * @param minFalseMatches false matches expected at the target (impostors x target) for the threshold to count as
     *                        measured: 100 by default, at least 30 (evaluate's --min-false-matches rule)
     */
    public record Request(ProtocolSpec protocol, ConfigurationSpec configuration, double targetFmr, Path writeConfig,
                          Path storeDir, int threads, long bootstrapSeed, int minFalseMatches) {
        public Request {
            ScoreSet.checkMinFalseMatches("minimum expected false matches", minFalseMatches);
        }

        /** Under the default rule (100 expected false matches). */
        public Request(ProtocolSpec protocol, ConfigurationSpec configuration, double targetFmr, Path writeConfig,
                       Path storeDir, int threads, long bootstrapSeed) {
            this(protocol, configuration, targetFmr, writeConfig, storeDir, threads, bootstrapSeed,
                    ScoreSet.DEFAULT_MIN_FALSE_MATCHES);
        }
    }

    /**
     * @param threshold      the threshold written, as the float the scores are compared with
     * @param operatingPoint FMR achieved, FNMR and the counts at that threshold
     * @param fte            failure-to-enrol rate of the configuration on the protocol
     * @param configFile     the file written
     * @param templates      how the templates were obtained, store damage included
     */
    public record Result(float threshold, double targetFmr, OperatingPoint operatingPoint, double fte, Path configFile,
                         Enrolment.Stats templates) {
        /** The threshold as written into the file (six decimals, rounded up). */
        public String thresholdText() {
            return ThresholdWriter.format(threshold);
        }

        /** One line for a person. */
        public String summary() {
            OperatingPoint o = operatingPoint;
            return String.format(Locale.ROOT, "threshold %s at FMR %s (achieved %s, %,d/%,d impostors); FNMR there %s; written to %s",
                    thresholdText(), Charts.fmrLabel(targetFmr), Charts.percent(o.fmr()), o.falseMatches(),
                    o.impostors(), Charts.percent(o.fnmr()), configFile)
                    + (templates.droppedBytes() > 0 ? System.lineSeparator() + ReportWriter.storeDamage(templates) : "");
        }
    }

    /** Calibrates with the real face pipeline. */
    public static Result calibrate(Request request, Progress progress) {
        return calibrate(request, new PipelineExtractorFactory(), progress);
    }

    /**
     * @throws FaceException CONFIG_ERROR when the protocol has too few impostor comparisons for the target
     */
    public static Result calibrate(Request request, ExtractorFactory factory, Progress progress) {
        Evaluation.checkTargets("--fmr targets", List.of(request.targetFmr()));
        Evaluation.Options options = new Evaluation.Options(List.of(request.targetFmr()), request.bootstrapSeed(),
                request.storeDir(), 50, 50, request.threads(), request.minFalseMatches());
        EvaluationResult result = Evaluation.run(new Evaluation.Request(request.protocol(), null,
                List.of(request.configuration()), options), factory, progress);
        EvaluationResult.Configuration c = result.configurations().getFirst();
        OperatingPoint o = c.operatingPoints().getFirst();
        if (!o.measured()) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, String.format(Locale.ROOT,
                    "not enough impostors to calibrate at FMR %s: %,d comparisons, %,d needed for %d expected false matches "
                            + "(raise --impostors or use more people)",
                    Charts.fmrLabel(request.targetFmr()), o.impostors(), o.impostorsNeeded(), request.minFalseMatches()));
        }
        // A threshold resting on fewer false matches than the default rule's says so where it is written.
        String fmrText = String.format(Locale.ROOT, "%s on %s, %,d impostor comparisons%s",
                Charts.fmrLabel(request.targetFmr()), result.protocol().name(), o.impostors(),
                request.minFalseMatches() < ScoreSet.DEFAULT_MIN_FALSE_MATCHES
                        ? String.format(Locale.ROOT, ", %,d false matches", o.falseMatches()) : "");
        String provenance = String.format(Locale.ROOT,
                "%s on %s%nFMR %s (%,d of %,d impostor comparisons reach it), FNMR %s over %,d genuine comparisons, FTE %s%n"
                        + "pipeline: %s",
                LocalDate.now(ZoneOffset.UTC), result.protocol().name(), Charts.percent(o.fmr()), o.falseMatches(),
                o.impostors(), Charts.percent(o.fnmr()), o.genuine(), Charts.percent(c.templates().fte()),
                c.description());
        ThresholdWriter.write(request.writeConfig(), request.configuration().configFile(), o.threshold(), fmrText, provenance);
        return new Result(o.threshold(), request.targetFmr(), o, c.templates().fte(), request.writeConfig(), c.templates());
    }
}
