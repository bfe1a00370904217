package dev.sameface.spark;

import dev.sameface.api.FaceException;
import dev.sameface.evaluation.Evaluation;
import dev.sameface.evaluation.EvaluationResult;
import dev.sameface.evaluation.ReportWriter;
import dev.sameface.evaluation.ScoreSet;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code sameface spark enrol|score}, and the main class for {@code spark-submit}. On its own class path (the spark
 * module's jar and its lib/ folder), so Spark's few hundred jars never join the everyday sameface launcher's.
 */
@Command(name = "spark", mixinStandardHelpOptions = true, subcommands = {SparkCommand.Enrol.class, SparkCommand.Score.class},
        description = "Enrol photo collections and score template tables on Apache Spark (local[*] here, a cluster through spark-submit).")
public final class SparkCommand {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command as the launcher runs it: usage and help name it "sameface spark" (picocli would say "spark", the
     * class's own name, because this is its own main class and not a subcommand of the everyday launcher's).
     */
    static CommandLine commandLine() {
        return new CommandLine(new SparkCommand())
                .setCommandName("sameface spark")
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof FaceException fe) {
                        cmd.getErr().println("sameface spark: " + fe.getMessage());
                        return fe.code().exitCode();
                    }
                    throw e;
                });
    }

    /** Options both jobs share: where Spark runs. */
    static class SparkOptions {
        @Option(names = "--master", paramLabel = "URL",
                description = "Spark master when not set by spark-submit (default local[*]: one task per core of this machine).")
        String master;

        SparkSession session(String name) {
            SparkSession.Builder b = SparkSession.builder().appName("sameface " + name)
                    // One task per core and one thread per task: each task runs a single-threaded pipeline.
                    .config("spark.task.cpus", "1")
                    .config("spark.ui.showConsoleProgress", "false");
            if (master != null) {
                b.master(master);
            } else if (!SparkSession.getDefaultSession().isDefined() && System.getProperty("spark.master") == null) {
                b.master("local[*]");
            }
            return b.getOrCreate();
        }
    }

    @Command(name = "enrol", mixinStandardHelpOptions = true,
            description = "Enrols images into a Parquet template table; a rerun skips images already enrolled by the same pipeline.")
    static final class Enrol implements Callable<Integer> {
        @CommandLine.Mixin
        SparkOptions spark = new SparkOptions();

        @Option(names = "--folders", paramLabel = "DIR", description = "root/Person/*.jpg (local path or any Hadoop URI)")
        String folders;

        @Option(names = "--list", paramLabel = "FILE", description = "one image path per line, optionally TAB person")
        String list;

        @Option(names = "--table", paramLabel = "FILE", description = "Parquet or CSV (header) table with columns path[, person]")
        String table;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "the template table (Parquet), appended to")
        String out;

        @Option(names = "--config", paramLabel = "FILE", description = "pipeline configuration (YAML), readable on every executor")
        String config;

        @Option(names = "--set", split = ",", paramLabel = "KEY=VALUE", description = "configuration overrides, e.g. engine=openvino")
        Map<String, String> overrides = new LinkedHashMap<>();

        @Option(names = "--batch", defaultValue = "5000", paramLabel = "N",
                description = "images per committed batch, the most a killed job loses (default ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--partitions", defaultValue = "0", paramLabel = "N",
                description = "tasks per batch (default: Spark's default parallelism, one per core)")
        int partitions;

        @Override
        public Integer call() throws java.io.IOException {
            int given = (folders != null ? 1 : 0) + (list != null ? 1 : 0) + (table != null ? 1 : 0);
            if (given != 1) {
                throw new FaceException(dev.sameface.api.ErrorCode.CONFIG_ERROR, "give exactly one of --folders, --list, --table");
            }
            EnrolJob.InputKind kind = folders != null ? EnrolJob.InputKind.FOLDERS : list != null ? EnrolJob.InputKind.LIST : EnrolJob.InputKind.TABLE;
            String input = folders != null ? folders : list != null ? list : table;
            try (SparkSession s = spark.session("enrol")) {
                EnrolJob.Summary r = EnrolJob.run(s, new EnrolJob.Request(kind, input, out,
                        new PipelineSpec(config, overrides), batch, partitions), System.out);
                System.out.printf(Locale.ROOT, "%d images: %d already enrolled, %d enrolled now (%d failed) in %d batches, %.1f s%n",
                        r.inputImages(), r.alreadyEnrolled(), r.enrolled(), r.failed(), r.batches(), r.seconds());
            }
            return 0;
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
            description = "FNMR at fixed FMR from a template table: all genuine pairs, all or a seeded sample of impostor pairs, exact thresholds.")
    static final class Score implements Callable<Integer> {
        @CommandLine.Mixin
        SparkOptions spark = new SparkOptions();

        @Option(names = "--templates", required = true, paramLabel = "DIR", description = "the template table the enrol job wrote")
        String templates;

        @Option(names = "--identity", paramLabel = "TEXT", description = "the pipeline identity to score when the table holds several")
        String identity;

        @Option(names = "--impostors", defaultValue = "all", paramLabel = "N|all",
                description = "impostor pairs: 'all' (default) or a seeded sample of N, the pairs sameface evaluate --impostors N draws")
        String impostors;

        @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "sampling and bootstrap seed (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--fmr", split = ",", defaultValue = "1e-2,1e-3,1e-4,1e-5,1e-6", paramLabel = "RATE",
                description = "target FMRs (default ${DEFAULT-VALUE})")
        List<Double> targets;

        @Option(names = "--min-false-matches", defaultValue = "100", paramLabel = "N",
                description = "report a target FMR only when at least N false matches are expected there (impostors x FMR >= N); "
                        + "default ${DEFAULT-VALUE}, lowest 30 (Doddington's rule of 30); rows that pass only below 100 are marked")
        int minFalseMatches;

        @Option(names = "--block-rows", defaultValue = "0", paramLabel = "N", description = "templates per block (default: from size and cores)")
        int blockRows;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "where result.json, report.md and the charts go")
        Path out;

        @Override
        public Integer call() throws java.io.IOException {
            long n;
            try {
                n = "all".equals(impostors) ? -1 : Long.parseLong(impostors);
            } catch (NumberFormatException e) {
                throw new FaceException(dev.sameface.api.ErrorCode.CONFIG_ERROR, "--impostors takes a count or 'all', got " + impostors, e);
            }
            Evaluation.checkTargets("--fmr", targets);
            ScoreSet.checkMinFalseMatches("--min-false-matches", minFalseMatches);
            try (SparkSession s = spark.session("score")) {
                EvaluationResult r = ScoreJob.run(s, new ScoreJob.Request(templates, identity, n, seed, targets,
                        blockRows, out, 200, 100, minFalseMatches), System.out);
                System.out.println(ReportWriter.summary(r, out));
            }
            return 0;
        }
    }
}
