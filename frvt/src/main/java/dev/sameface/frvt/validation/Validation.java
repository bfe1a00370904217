package dev.sameface.frvt.validation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.frvt.ConfigDirectory;
import dev.sameface.frvt.ReturnCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * NIST's FRVT 1:1 validation run, mirrored: enrolment, verification and match phases, each split into N contiguous
 * parts run by N single-threaded worker processes ({@link Worker}), their logs joined in input order into
 * {@code enroll.log}, {@code verif.log} and {@code match.log}, templates in {@code templates/<id>.template}; then the
 * checks NIST makes of a submission's validation package.
 *
 * <p>The data set directory holds {@code input/enroll.txt}, {@code input/verif.txt}, {@code input/match.txt} (see
 * {@link InputList}), the images they name, and optionally {@code input/derived-templates.txt}: lines
 * {@code name truncate|flip source} or {@code name file path} that make damaged or foreign templates from the run's
 * own ones before the match phase, so that the match list can name them.
 */
public final class Validation {
    /** NIST's budgets: template creation per image and one comparison, single-threaded. */
    public static final double TEMPLATE_BUDGET_MS = 1000;
    public static final double MATCH_BUDGET_MS = 0.1;
    public static final int MAX_THREADS_PER_WORKER = 2;

    /** Where a run stands, for a progress bar: phase name, lines done in it, lines in it. */
    public interface Progress {
        void update(String phase, long done, long total);
    }

    /** One check as NIST makes it: its name, whether it held, and the numbers behind it. */
    public record Check(String name, boolean passed, String detail) {
    }

    /** What one phase did: log lines, return codes counted, the lines with a non-zero code, worker figures. */
    public record Phase(String name, int inputLines, int logLines, Map<Integer, Integer> codes, List<String> failures,
                        double[] perItemMs, double[] cpuMs, List<Integer> busyThreads, List<Integer> osThreads, List<Integer> exitCodes,
                        List<String> busyThreadNames) {
        public double median() {
            return percentile(perItemMs, 0.5);
        }

        public double p95() {
            return percentile(perItemMs, 0.95);
        }

        /** Median CPU time of the worker's thread per image (template phases; 0 for matching). */
        public double cpuMedian() {
            return percentile(cpuMs, 0.5);
        }

        public double max() {
            return perItemMs.length == 0 ? 0 : perItemMs[perItemMs.length - 1];
        }
    }

    /** The whole run: phases, checks, and the unique-score share of the match phase. */
    public record Report(List<Phase> phases, List<Check> checks, double uniqueScoreShare, Path output) {
        public boolean passed() {
            return checks.stream().allMatch(Check::passed);
        }
    }

    private final Path dataDir;
    private final Path outDir;
    private final Path configDir;
    private final int workers;
    private final Progress progress;

    /**
     * @param configDir the FRVT configuration directory, made read-only for the run (its content must not change)
     */
    public Validation(Path dataDir, Path outDir, Path configDir, int workers, Progress progress) {
        if (workers < 1) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "--workers must be at least 1, not " + workers);
        }
        this.dataDir = dataDir.toAbsolutePath();
        this.outDir = outDir.toAbsolutePath();
        this.configDir = configDir.toAbsolutePath();
        this.workers = workers;
        this.progress = progress;
    }

    public Report run() throws IOException, InterruptedException {
        Path input = dataDir.resolve("input");
        for (String list : List.of("enroll.txt", "verif.txt", "match.txt")) {
            if (!Files.isRegularFile(input.resolve(list))) {
                throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, input.resolve(list) + " is missing: make a data set with "
                        + "`sameface frvt-dataset --out " + dataDir + "`");
            }
        }
        Path templates = Files.createDirectories(outDir.resolve("templates"));
        Files.createDirectories(outDir.resolve("workers"));
        ConfigDirectory.makeReadOnly(configDir);
        Map<String, String> configBefore = ConfigDirectory.snapshot(configDir);

        List<Phase> phases = new ArrayList<>();
        phases.add(phase("enroll", input.resolve("enroll.txt"), templates));
        phases.add(phase("verif", input.resolve("verif.txt"), templates));
        deriveTemplates(input.resolve("derived-templates.txt"), templates);
        phases.add(phase("match", input.resolve("match.txt"), templates));

        List<Check> checks = new ArrayList<>();
        for (Phase p : phases) {
            checks.add(new Check(p.name() + ": one log line per input line", p.logLines() == p.inputLines(),
                    p.logLines() + " log lines for " + p.inputLines() + " input lines"));
            checks.add(new Check(p.name() + ": every worker exited normally", p.exitCodes().stream().allMatch(c -> c == 0),
                    "exit codes " + p.exitCodes()));
            int max = p.busyThreads().stream().mapToInt(Integer::intValue).max().orElse(0);
            checks.add(new Check(p.name() + ": computing threads per worker <= " + MAX_THREADS_PER_WORKER, max <= MAX_THREADS_PER_WORKER,
                    "busy threads per worker " + p.busyThreads() + " " + p.busyThreadNames() + "; OS threads " + p.osThreads()));
        }
        for (Phase p : phases.subList(0, 2)) {
            checks.add(new Check(p.name() + ": median time per image <= " + (int) TEMPLATE_BUDGET_MS + " ms",
                    p.median() <= TEMPLATE_BUDGET_MS, String.format(Locale.ROOT, "median %.1f ms, p95 %.1f, max %.1f (CPU median %.1f ms)",
                            p.median(), p.p95(), p.max(), p.cpuMedian())));
        }
        long sizeMismatches = 0;
        for (String log : List.of("enroll.log", "verif.log")) {
            for (String line : Files.readAllLines(outDir.resolve(log))) {
                String[] f = line.split(" ");
                Path t = templates.resolve(f[0] + ".template");
                if (!Files.isRegularFile(t) || Files.size(t) != Long.parseLong(f[2])) {
                    sizeMismatches++;
                }
            }
        }
        checks.add(new Check("every log line has its template file, of the logged size", sizeMismatches == 0,
                sizeMismatches + " missing or of another size"));
        Phase match = phases.get(2);
        checks.add(new Check("match: median time per comparison <= " + MATCH_BUDGET_MS + " ms", match.median() <= MATCH_BUDGET_MS,
                String.format(Locale.ROOT, "median %.4f ms, p95 %.4f", match.median(), match.p95())));
        List<String[]> scores = Files.readAllLines(outDir.resolve("match.log")).stream().map(l -> l.split(" ")).toList();
        long negativeWithSuccess = scores.stream().filter(f -> f.length == 4 && f[3].equals("0") && Double.parseDouble(f[2]) < 0).count();
        checks.add(new Check("match: no negative score with return code 0", negativeWithSuccess == 0,
                negativeWithSuccess + " negative scores with code 0"));
        long failedWithScore = scores.stream().filter(f -> f.length == 4 && !f[3].equals("0") && Double.parseDouble(f[2]) != -1).count();
        checks.add(new Check("match: every failed comparison scores -1", failedWithScore == 0, failedWithScore + " failed comparisons with another score"));
        List<String> successful = scores.stream().filter(f -> f.length == 4 && f[3].equals("0")).map(f -> f[2]).toList();
        double unique = successful.isEmpty() ? 0 : (double) successful.stream().distinct().count() / successful.size();
        checks.add(new Check("match: at least 50% unique scores", unique >= 0.5,
                String.format(Locale.ROOT, "%.1f%% of %d scores unique", 100 * unique, successful.size())));
        Map<String, String> configAfter = ConfigDirectory.snapshot(configDir);
        checks.add(new Check("read-only configuration directory works and is left unchanged", configAfter.equals(configBefore),
                configBefore.size() + " entries, " + (configAfter.equals(configBefore) ? "unchanged" : "CHANGED")));
        Report report = new Report(phases, checks, unique, outDir);
        Files.writeString(outDir.resolve("summary.txt"), summary(report));
        return report;
    }

    private Phase phase(String name, Path list, Path templates) throws IOException, InterruptedException {
        int n = InputList.lines(list).size();
        int parts = Math.max(1, Math.min(workers, n));
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        List<Path> stats = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            // NIST's split: contiguous parts of (nearly) equal size, in input order.
            int from = (int) ((long) n * i / parts);
            int to = (int) ((long) n * (i + 1) / parts);
            Path log = outDir.resolve("workers").resolve(name + ".log." + i);
            Path stat = outDir.resolve("workers").resolve(name + ".stats." + i);
            Files.deleteIfExists(stat);
            logs.add(log);
            stats.add(stat);
            processes.add(start(name, list, from, to, templates, log, stat, outDir.resolve("workers").resolve(name + ".err." + i)));
        }
        while (processes.stream().anyMatch(Process::isAlive)) {
            progress.update(name, countLines(logs), n);
            processes.getFirst().waitFor(200, TimeUnit.MILLISECONDS);
            for (Process p : processes) {
                p.waitFor(0, TimeUnit.MILLISECONDS);
            }
        }
        progress.update(name, countLines(logs), n);
        List<Integer> exit = new ArrayList<>();
        for (Process p : processes) {
            exit.add(p.waitFor());
        }
        List<String> joined = new ArrayList<>();
        for (Path log : logs) {
            if (Files.isRegularFile(log)) {
                joined.addAll(Files.readAllLines(log));
            }
        }
        Files.write(outDir.resolve(name + ".log"), joined);
        Map<Integer, Integer> codes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int codeColumn = 3; // both log formats carry the return code in the fourth column
        for (String line : joined) {
            String[] f = line.split(" ");
            int code = f.length > codeColumn ? Integer.parseInt(f[codeColumn]) : -1;
            codes.merge(code, 1, Integer::sum);
            if (code != 0) {
                failures.add(line);
            }
        }
        List<Double> times = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Integer> busy = new ArrayList<>();
        List<Integer> os = new ArrayList<>();
        List<String> busyNames = new ArrayList<>();
        for (Path s : stats) {
            if (!Files.isRegularFile(s)) {
                continue;
            }
            Properties p = new Properties();
            try (var r = Files.newBufferedReader(s)) {
                p.load(r);
            }
            for (String t : p.getProperty("perItemMs", "").split(",")) {
                if (!t.isBlank()) {
                    times.add(Double.parseDouble(t));
                }
            }
            for (String t : p.getProperty("cpuMs", "").split(",")) {
                if (!t.isBlank()) {
                    cpu.add(Double.parseDouble(t));
                }
            }
            busy.add(Integer.parseInt(p.getProperty("busyThreads")));
            os.add(Integer.parseInt(p.getProperty("osThreads")));
            busyNames.add(p.getProperty("busyThreadNames"));
        }
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] cpuSorted = cpu.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Phase(name, n, joined.size(), codes, failures, sorted, cpuSorted, busy, os, exit, busyNames);
    }

    private Process start(String phase, Path list, int from, int to, Path templates, Path log, Path stats, Path err) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java,
                // The JVM sizes its garbage collector and compilers for one processor, as the FRVT host gives each process one.
                "-XX:ActiveProcessorCount=1", "-Xmx1g", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Worker.class.getName(),
                phase, configDir.toString(), dataDir.toString(), list.toString(), Integer.toString(from), Integer.toString(to),
                templates.toString(), log.toString(), stats.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(err.toFile()).start();
    }

    private static long countLines(List<Path> logs) {
        long n = 0;
        for (Path log : logs) {
            try {
                if (Files.isRegularFile(log)) {
                    n += Files.readAllLines(log).size();
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // Being written this very moment: the next poll counts it.
            }
        }
        return n;
    }

    /** Damaged and foreign templates made from the run's own, so that the match list can exercise them. */
    private void deriveTemplates(Path list, Path templates) throws IOException {
        if (!Files.isRegularFile(list)) {
            return;
        }
        for (String line : InputList.lines(list)) {
            String[] f = line.split("\\s+");
            if (f.length != 3) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, list + ": '" + line + "' is not 'name truncate|flip|file source'");
            }
            Path target = templates.resolve(f[0]);
            switch (f[1]) {
                case "truncate" -> {
                    byte[] b = Files.readAllBytes(templates.resolve(f[2]));
                    Files.write(target, Arrays.copyOf(b, b.length / 2));
                }
                case "flip" -> {
                    byte[] b = Files.readAllBytes(templates.resolve(f[2]));
                    b[b.length / 2] ^= 0x5a;
                    Files.write(target, b);
                }
                case "file" -> Files.write(target, Files.readAllBytes(dataDir.resolve(f[2])));
                default -> throw new FaceException(ErrorCode.CONFIG_ERROR, list + ": unknown operation '" + f[1] + "'");
            }
        }
    }

    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * (sorted.length - 1) + 0.5))];
    }

    /** The closing table: return codes per phase, timings, threads, and every check. */
    public static String summary(Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-7s %6s %6s %11s %9s %9s %9s  %-18s %s%n", "phase", "input", "log", "median ms", "p95 ms",
                "max ms", "cpu ms", "busy (OS) threads", "return codes: count"));
        for (Phase p : r.phases()) {
            StringBuilder codes = new StringBuilder();
            p.codes().forEach((code, count) -> codes.append(codes.isEmpty() ? "" : ", ").append(name(code)).append(": ").append(count));
            sb.append(String.format(Locale.ROOT, "%-7s %6d %6d %11.4f %9.4f %9.4f %9.1f  %-18s %s%n", p.name(), p.inputLines(), p.logLines(),
                    p.median(), p.p95(), p.max(), p.cpuMedian(), p.busyThreads() + " " + p.osThreads(), codes));
        }
        sb.append(System.lineSeparator());
        for (Check c : r.checks()) {
            sb.append(c.passed() ? "PASS  " : "FAIL  ").append(c.name()).append(" — ").append(c.detail()).append(System.lineSeparator());
        }
        sb.append(System.lineSeparator()).append("non-zero return codes:").append(System.lineSeparator());
        for (Phase p : r.phases()) {
            for (String f : p.failures()) {
                sb.append("  ").append(p.name()).append(": ").append(f).append(System.lineSeparator());
            }
        }
        return sb.toString();
    }

    private static String name(int code) {
        for (ReturnCode rc : ReturnCode.values()) {
            if (rc.code() == code) {
                return code + " " + rc.nistName();
            }
        }
        return code + " (not a return code)";
    }
}
