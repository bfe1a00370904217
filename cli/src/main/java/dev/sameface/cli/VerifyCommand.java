package dev.sameface.cli;

import dev.sameface.pipeline.Enrolment;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;
import dev.sameface.pipeline.Verification;
import dev.sameface.pipeline.image.InputFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "verify", description = {"Decide whether two photos show the same person.",
        "Prints the cosine score, the threshold (calibrated at FMR = 1e-3 on LFW unless your config says otherwise),",
        "the decision, and the time each stage took on one thread. Exit code 0 whatever the decision; non-zero on errors.",
        "An image without a usable face is decided 'different' with the reason, as NIST scores a failed template;",
        "an image that cannot be read or decoded is an error (exit 4) with the decoder's reason."})
final class VerifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE_A")
    Path a;

    @Parameters(index = "1", paramLabel = "IMAGE_B")
    Path b;

    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--threshold", paramLabel = "COSINE", description = "Decide with this threshold instead of the configured one.")
    Double threshold;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // Checked before any model loads: a typo, a folder, a FIFO or an oversized file is exit 4 at once.
        for (Path p : new Path[]{a, b}) {
            InputFiles.checkedSize(p, InputFiles.maxBytes());
        }
        var config = pipeline.resolve();
        if (threshold != null) {
            config = config.withThreshold(threshold, "given on the command line");
        }
        try (FacePipeline p = Pipelines.create(config)) {
            Verification v = p.verify(a, b);
            var out = spec.commandLine().getOut();
            if (json) {
                // The decision object the HTTP server answers with.
                var n = dev.sameface.server.Answers.decision(v, config.thresholdFmr());
                n.set("a", Json.enrolment(a.toString(), v.a()));
                n.set("b", Json.enrolment(b.toString(), v.b()));
                n.put("match_ms", Json.ms(v.matchNanos()));
                n.put("pipeline", p.describe());
                out.println(Json.write(n));
            } else {
                out.printf(Locale.ROOT, "decision:  %s%n", v.same() ? "SAME person" : "DIFFERENT people");
                out.printf(Locale.ROOT, "score:     %s (cosine similarity)%n", Double.isNaN(v.score()) ? "n/a, " + v.reason() : String.format(Locale.ROOT, "%.4f", v.score()));
                out.printf(Locale.ROOT, "threshold: %.4f, %s%n", v.threshold(), config.thresholdFmr() == null ? "not calibrated" : "calibrated at FMR " + config.thresholdFmr());
                line(out, "A", a, v.a());
                line(out, "B", b, v.b());
                out.printf(Locale.ROOT, "match:     %.3f ms (times of a fresh process include warm-up; 'sameface bench' measures steady state)%n",
                        v.matchNanos() / 1e6);
                out.printf(Locale.ROOT, "pipeline:  %s%n", p.describe());
            }
            return 0;
        }
    }

    private static void line(java.io.PrintWriter out, String label, Path path, Enrolment e) {
        var t = e.timings();
        String faces = e.template().isFailed() ? "no template: " + e.template().failure() : e.faces().size() + " face(s)";
        out.printf(Locale.ROOT, "%s: %-40s %s; decode %.1f ms, detect %.1f ms, align %.1f ms, embed %.1f ms, total %.1f ms%n",
                label, path, faces, t.decodeNanos() / 1e6, t.detectNanos() / 1e6, t.alignNanos() / 1e6, t.embedNanos() / 1e6, t.totalNanos() / 1e6);
    }
}
