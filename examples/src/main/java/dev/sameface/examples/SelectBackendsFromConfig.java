package dev.sameface.examples;

import dev.sameface.api.FaceException;
import dev.sameface.pipeline.Enrolment;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;
import dev.sameface.pipeline.StageTimings;
import dev.sameface.pipeline.Verification;
import dev.sameface.pipeline.config.PipelineConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * User job 1: choose detector, embedder and engines in a configuration file, not in code.
 *
 * <pre>
 * SelectBackendsFromConfig CONFIG.yaml PHOTO1 PHOTO2 [key=value ...]
 * e.g. SelectBackendsFromConfig examples/configs/retinaface.yaml a.jpg b.jpg embedder.options.flip-tta=true
 * </pre>
 *
 * The file is merged over the built-in defaults, so it only needs the keys it changes (see
 * docs/configuration.md). Trailing {@code key=value} arguments are dotted overrides, like the CLI's {@code --set}.
 * Models come from the standard cache ({@code $SAMEFACE_HOME}) and, for models no registry ships, from the
 * directories in {@code $SAMEFACE_LOCAL_MODELS}.
 */
public final class SelectBackendsFromConfig {
    private SelectBackendsFromConfig() {
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: SelectBackendsFromConfig CONFIG.yaml PHOTO1 PHOTO2 [key=value ...]");
            System.exit(64);
        }
        try {
            run(args, System.out);
        } catch (FaceException e) {
            // One line a user can act on; the message already says what is missing and how to get it.
            System.err.println("error: " + e.code() + ": " + e.getMessage());
            System.exit(e.code().exitCode());
        }
    }

    /** Verifies the two photos with the configured pipeline, printing to {@code out}. */
    static Verification run(String[] args, PrintStream out) {
        PipelineConfig config = PipelineConfig.load(Path.of(args[0]));
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new FaceException(dev.sameface.api.ErrorCode.CONFIG_ERROR, "override '" + args[i] + "' is not key=value");
            }
            overrides.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        if (!overrides.isEmpty()) {
            config = config.withOverrides(overrides);
        }

        // Building the pipeline resolves every name in the config: plugins and engines through ServiceLoader, models
        // through the manifest. Any unknown name fails here with the list of known ones, before an image is read.
        try (FacePipeline pipeline = Pipelines.create(config)) {
            out.println("pipeline:  " + pipeline.describe());
            Verification v = pipeline.verify(Path.of(args[1]), Path.of(args[2]));
            out.println("decision:  " + (v.same() ? "SAME person" : "DIFFERENT people") + " (" + v.reason() + ")");
            out.printf(Locale.ROOT, "score:     %.4f (cosine similarity)%n", v.score());
            out.printf(Locale.ROOT, "threshold: %.4f (same when score >= threshold; calibrated at FMR %s)%n",
                    v.threshold(), config.thresholdFmr() == null ? "unknown" : config.thresholdFmr());
            printTimings(out, "photo 1", v.a());
            printTimings(out, "photo 2", v.b());
            out.printf(Locale.ROOT, "match:     %.3f ms%n", v.matchNanos() / 1e6);
            return v;
        }
    }

    private static void printTimings(PrintStream out, String label, Enrolment e) {
        StageTimings t = e.timings();
        out.printf(Locale.ROOT, "%s:   decode %.1f ms, detect %.1f ms, align %.1f ms, embed %.1f ms, total %.1f ms (%d face%s found)%n",
                label, t.decodeNanos() / 1e6, t.detectNanos() / 1e6, t.alignNanos() / 1e6, t.embedNanos() / 1e6, t.totalNanos() / 1e6,
                e.faces().size(), e.faces().size() == 1 ? "" : "s");
    }
}
