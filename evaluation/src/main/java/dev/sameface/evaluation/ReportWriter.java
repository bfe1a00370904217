package dev.sameface.evaluation;

import dev.sameface.pipeline.files.AtomicFiles;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes a run's {@code result.json}, {@code report.md} and charts into one folder. */
public final class ReportWriter {
    private ReportWriter() {
    }

    /** Writes everything; the returned result lists the files written in {@code files}. */
    public static EvaluationResult write(EvaluationResult result, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot create output folder " + dir + ": " + e.getMessage(), e);
        }
        Map<String, String> files = result.files();
        files.put("det", Charts.save(Charts.det(result), dir, "det").getFileName().toString());
        for (EvaluationResult.Configuration c : result.configurations()) {
            String base = "histogram-" + slug(c.label());
            files.put("histogram " + c.label(), Charts.save(Charts.histogram(c), dir, base).getFileName().toString());
        }
        files.put("report", "report.md");
        files.put("json", "result.json");
        writeString(dir.resolve("report.md"), markdown(result));
        writeString(dir.resolve("result.json"), json(result));
        return result;
    }

    /** {@code result.json}'s text (snake_case keys, see docs/evaluation.md), which {@code evaluate --json} prints too. */
    public static String json(EvaluationResult result) {
        return JsonWriter.write(result) + "\n";
    }

    /** What a person reads on the console: per configuration, the operating points and where the report is. */
    public static String summary(EvaluationResult r, Path out) {
        StringBuilder sb = new StringBuilder();
        EvaluationResult.Protocol p = r.protocol();
        sb.append(String.format(Locale.ROOT, "%s: %,d images, %,d genuine and %,d impostor comparisons%n",
                p.name(), p.images(), p.genuine(), p.impostors()));
        for (EvaluationResult.Configuration c : r.configurations()) {
            Enrolment.Stats s = c.templates();
            sb.append(String.format(Locale.ROOT, "%n%s  (templates: %,d computed, %,d reused; FTE %s = %,d failed; scoring %,.0f comparisons/s)%n",
                    c.label(), s.computed(), s.reused(), Charts.percent(s.fte()), s.failed(), c.comparisonsPerSecond()));
            if (s.droppedBytes() > 0) {
                sb.append("  ").append(storeDamage(s)).append('\n');
            }
            for (OperatingPoint o : c.operatingPoints()) {
                if (!o.measured()) {
                    sb.append(String.format(Locale.ROOT, "  FMR %-5s  %s%n", Charts.fmrLabel(o.targetFmr()),
                            OperatingPoint.NOT_ENOUGH_IMPOSTORS.equals(o.status())
                                    ? String.format(Locale.ROOT, "not enough impostors (%,d, need %,d for %d expected false matches)",
                                    o.impostors(), o.impostorsNeeded(), o.minFalseMatches())
                                    : o.status()));
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "  FMR %-5s%s T = %.5f  FNMR %s [%s, %s] over all pairs",
                        Charts.fmrLabel(o.targetFmr()), o.measuredUnderRelaxedRule() ? RELAXED_MARK : " ", o.threshold(),
                        Charts.percent(o.fnmr()), Charts.percent(o.fnmrInterval().low()), Charts.percent(o.fnmrInterval().high())));
                if (o.fnmrPerIdentity() != null) {
                    sb.append(String.format(Locale.ROOT, "; %s per identity", Charts.percent(o.fnmrPerIdentity())));
                }
                sb.append(String.format(Locale.ROOT, "  (FMR achieved %s; %s false matches expected)%n", Charts.percent(o.fmr()),
                        expected(o.expectedFalseMatches())));
            }
            if (c.lfwAccuracy() != null) {
                sb.append(String.format(Locale.ROOT, "  %d-fold accuracy %.2f%% ± %.2f%%%n",
                        c.lfwAccuracy().accuracy().length, 100 * c.lfwAccuracy().mean(), 100 * c.lfwAccuracy().std()));
            }
        }
        if (anyRelaxed(r)) {
            sb.append(String.format(Locale.ROOT, "%n%s %s%n", RELAXED_MARK, relaxedNote(r.minFalseMatches())));
        }
        r.notes().forEach(n -> sb.append(String.format(Locale.ROOT, "%nNote: %s%n", n)));
        sb.append(String.format(Locale.ROOT, "%nReport: %s%n", out.resolve("report.md")));
        return sb.toString();
    }

    public static String markdown(EvaluationResult r) {
        StringBuilder md = new StringBuilder();
        EvaluationResult.Protocol p = r.protocol();
        md.append("# sameface evaluation\n\n");
        md.append("- Protocol: ").append(p.name()).append('\n');
        md.append(String.format(Locale.ROOT, "- Images: %,d; genuine comparisons: %,d; impostor comparisons: %,d%n",
                p.images(), p.genuine(), p.impostors()));
        if (p.genuineSubjects() > 0) {
            md.append(String.format(Locale.ROOT, "- People with genuine pairs: %,d%n", p.genuineSubjects()));
        }
        if (p.seed() != null) {
            md.append("- Impostor sample seed: ").append(p.seed()).append('\n');
        }
        if (p.accuracyPairs() != null) {
            md.append("- Accuracy protocol: ").append(p.accuracyPairs()).append(" (same templates)\n");
        }
        md.append("- Run at: ").append(r.createdAt()).append("\n");
        md.append("- Reporting rule: ").append(rule(r.minFalseMatches())).append('\n');
        r.notes().forEach(n -> md.append("- Note: ").append(n).append('\n'));
        md.append('\n');

        md.append("## Configurations\n\n");
        md.append("| configuration | config | overrides | templates computed / reused | failed (FTE) | scoring |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (EvaluationResult.Configuration c : r.configurations()) {
            Enrolment.Stats s = c.templates();
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d / %,d | %,d (%s) | %,.0f comparisons/s (%s) |%n",
                    c.label(), c.configFile(), overrides(c.overrides()), s.computed(), s.reused(), s.failed(),
                    Charts.percent(s.fte()), c.comparisonsPerSecond(), c.scoringKernel()));
        }
        md.append('\n');
        for (EvaluationResult.Configuration c : r.configurations()) {
            md.append("Pipeline of **").append(c.label()).append("**: ").append(c.description())
                    .append(" (fingerprint `").append(c.fingerprint()).append("`)");
            if (c.templates().computed() > 0) {
                Enrolment.Stats s = c.templates();
                md.append(String.format(Locale.ROOT, "; enrolment %.1f ms per image in each pipeline (%,d images on %d %s, %.1f images/s)",
                        1000 * s.secondsComputing() / s.computed(), s.computed(), s.threads(),
                        s.threads() == 1 ? "thread" : "threads", s.secondsWall() > 0 ? s.computed() / s.secondsWall() : 0));
            }
            if (c.templates().droppedBytes() > 0) {
                md.append("; ").append(storeDamage(c.templates()));
            }
            if (!c.templates().failuresByCode().isEmpty()) {
                md.append("; failed templates by reason: ").append(c.templates().failuresByCode().entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
            }
            md.append("\n\n");
        }

        md.append("## FNMR at fixed FMR\n\n");
        md.append("Threshold T = the lowest score with FMR(T) ≤ target (a score ≥ T is a match). ")
                .append("**FNMR (all pairs)** counts every genuine comparison once, so people with many photos weigh more; ")
                .append("**FNMR (per identity)** averages each person's own FNMR, so every person counts once. ")
                .append("Comparisons with a failed template count as non-matches. Intervals are 95%: Clopper-Pearson ")
                .append("(treats pairs as independent) and a bootstrap over people (resamples whole people). ")
                .append("**Expected false matches** = impostor comparisons × target FMR: how many impostor scores the ")
                .append("threshold rests on; a target is reported only when it reaches ").append(r.minFalseMatches()).append(".\n\n");
        for (EvaluationResult.Configuration c : r.configurations()) {
            md.append("### ").append(c.label()).append("\n\n");
            md.append(String.format(Locale.ROOT, "%,d genuine and %,d impostor comparisons; FTE %s.%n%n",
                    c.genuine(), c.impostors(), Charts.percent(c.templates().fte())));
            md.append("| target FMR | expected false matches | threshold | FMR achieved | FNMR (all pairs) | 95% CI Clopper-Pearson | 95% CI bootstrap over people | FNMR (per identity) | 95% CI bootstrap |\n");
            md.append("|---|---|---|---|---|---|---|---|---|\n");
            for (OperatingPoint o : c.operatingPoints()) {
                if (!o.measured()) {
                    md.append(String.format(Locale.ROOT, "| %s | %s | %s | | | | | | |%n", Charts.fmrLabel(o.targetFmr()),
                            expected(o.expectedFalseMatches()),
                            OperatingPoint.NOT_ENOUGH_IMPOSTORS.equals(o.status())
                                    ? String.format(Locale.ROOT, "not enough impostors (%,d < %,d needed)", o.impostors(), o.impostorsNeeded())
                                    : o.status()));
                    continue;
                }
                md.append(String.format(Locale.ROOT, "| %s%s | %s | %.5f | %s (%,d / %,d) | **%s** (%,d / %,d) | %s | %s | %s | %s |%n",
                        Charts.fmrLabel(o.targetFmr()), o.measuredUnderRelaxedRule() ? " " + RELAXED_MARK : "",
                        expected(o.expectedFalseMatches()), o.threshold(), Charts.percent(o.fmr()), o.falseMatches(),
                        o.impostors(), Charts.percent(o.fnmr()), o.falseNonMatches(), o.genuine(),
                        interval(o.fnmrInterval()), interval(o.fnmrSubjectBootstrap()),
                        o.fnmrPerIdentity() == null ? "n/a (protocol names no people)"
                                : "**" + Charts.percent(o.fnmrPerIdentity()) + "** (" + o.identities() + " people)",
                        interval(o.fnmrPerIdentityInterval())));
            }
            if (c.operatingPoints().stream().anyMatch(OperatingPoint::measuredUnderRelaxedRule)) {
                md.append('\n').append(RELAXED_MARK).append(' ').append(relaxedNote(r.minFalseMatches())).append('\n');
            }
            md.append('\n');
            if (c.lfwAccuracy() != null) {
                FoldAccuracy f = c.lfwAccuracy();
                md.append(String.format(Locale.ROOT,
                        "**%d-fold accuracy (LFW protocol): %.2f%% ± %.2f%%** (mean ± sample std over folds; standard error %.2f%%; "
                                + "each fold's threshold chosen on the other folds).%n%n",
                        f.accuracy().length, 100 * f.mean(), 100 * f.std(), 100 * f.standardError()));
                md.append("| fold |");
                for (int i = 0; i < f.accuracy().length; i++) {
                    md.append(' ').append(i + 1).append(" |");
                }
                md.append("\n|---|").append("---|".repeat(f.accuracy().length)).append("\n| accuracy |");
                for (double a : f.accuracy()) {
                    md.append(String.format(Locale.ROOT, " %.2f%% |", 100 * a));
                }
                md.append("\n| threshold |");
                for (float t : f.threshold()) {
                    md.append(String.format(Locale.ROOT, " %.4f |", t));
                }
                md.append("\n\n");
            }
        }

        md.append("## Charts\n\n");
        md.append("DET curve (lower is better; read FNMR where a curve crosses a dashed target-FMR line):\n\n");
        md.append("![DET curve](det.png)\n\n");
        for (EvaluationResult.Configuration c : r.configurations()) {
            md.append("Score histogram of ").append(c.label()).append(" (dashed lines: thresholds at the target FMRs):\n\n");
            md.append("![scores ").append(c.label()).append("](histogram-").append(slug(c.label())).append(".png)\n\n");
        }
        md.append("## Scoring speed\n\n");
        for (EvaluationResult.Configuration c : r.configurations()) {
            md.append(String.format(Locale.ROOT, "- %s: %,d comparisons in %.3f s = **%,.0f comparisons/s** on one thread "
                            + "(%.3f s of CPU = %,.0f per CPU-second; %s, %d-d)%n",
                    c.label(), (long) c.genuine() + c.impostors(), c.scoringSeconds(), c.comparisonsPerSecond(),
                    c.scoringCpuSeconds(), c.comparisonsPerCpuSecond(), c.scoringKernel(), c.dimension()));
        }
        md.append('\n');
        return md.toString();
    }

    /** Marks a row reported only under a relaxed rule (Markdown and console alike). */
    static final String RELAXED_MARK = "†";

    /** The reporting rule in words. */
    static String rule(int minFalseMatches) {
        String base = String.format(Locale.ROOT, "a target FMR is reported only when at least %d false matches are expected "
                + "there (impostor comparisons × target ≥ %d)", minFalseMatches, minFalseMatches);
        if (minFalseMatches == ScoreSet.DEFAULT_MIN_FALSE_MATCHES) {
            return base + " — the default rule";
        }
        if (minFalseMatches < ScoreSet.DEFAULT_MIN_FALSE_MATCHES) {
            return base + " — relaxed from the default " + ScoreSet.DEFAULT_MIN_FALSE_MATCHES
                    + " (--min-false-matches); Doddington's rule of 30 is the floor: 30 errors give 90% confidence that "
                    + "the true rate is within ±30% of the measured one";
        }
        return base + " — stricter than the default " + ScoreSet.DEFAULT_MIN_FALSE_MATCHES + " (--min-false-matches)";
    }

    private static String relaxedNote(int minFalseMatches) {
        return String.format(Locale.ROOT, "reported only under the relaxed rule (%d expected false matches): fewer than "
                + "the default %d are expected at this target, so its threshold rests on few impostor scores and is "
                + "less certain than the other rows'.", minFalseMatches, ScoreSet.DEFAULT_MIN_FALSE_MATCHES);
    }

    private static boolean anyRelaxed(EvaluationResult r) {
        return r.configurations().stream().flatMap(c -> c.operatingPoints().stream()).anyMatch(OperatingPoint::measuredUnderRelaxedRule);
    }

    /** Expected false matches: whole numbers as such, fractions with one decimal. */
    static String expected(double e) {
        return e >= 1000 || e == Math.rint(e) ? String.format(Locale.ROOT, "%,.0f", e) : String.format(Locale.ROOT, "%,.1f", e);
    }

    private static String interval(Interval i) {
        if (i == null) {
            return "n/a";
        }
        return "[" + Charts.percent(i.low()) + ", " + Charts.percent(i.high()) + "]";
    }

    private static String overrides(Map<String, String> o) {
        if (o.isEmpty()) {
            return "—";
        }
        return o.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> "`" + e.getKey() + "=" + e.getValue() + "`").collect(Collectors.joining(" "));
    }

    /** A file-name-safe form of a label. */
    static String slug(String label) {
        String s = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "config" : s;
    }

    /** One line on a damaged template store: what was lost and that it was made again. */
    static String storeDamage(Enrolment.Stats s) {
        return String.format(Locale.ROOT, "template store was damaged: %,d record%s lost (%,d bytes), recomputed in this run; every intact record was kept",
                s.lostRecords(), s.lostRecords() == 1 ? "" : "s", s.droppedBytes());
    }

    private static void writeString(Path file, String text) {
        AtomicFiles.writeString(file, text);
    }
}
