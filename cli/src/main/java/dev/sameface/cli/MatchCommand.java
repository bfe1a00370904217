package dev.sameface.cli;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Template;
import dev.sameface.pipeline.Pipelines;
import dev.sameface.pipeline.TemplateComparator;
import dev.sameface.pipeline.Verification;
import dev.sameface.pipeline.image.ImageDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "match", description = {"Compare two template files made by 'sameface template'.",
        "Templates from different models are refused (exit 6), never scored."})
final class MatchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TEMPLATE_A")
    Path a;

    @Parameters(index = "1", paramLabel = "TEMPLATE_B")
    Path b;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin
    PipelineOptions pipeline;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // Two vectors need the matcher, the threshold and the embedding-space check, not the detector or embedder.
        try (TemplateComparator comparator = Pipelines.matcherOnly(pipeline.resolve())) {
            // Read with the configuration's template key, if any: a protected template needs it, and with it a plain one is refused.
            Template ta = read(comparator, a);
            Template tb = read(comparator, b);
            if (!ta.modelFingerprint().equals(tb.modelFingerprint())) {
                throw new FaceException(ErrorCode.TEMPLATE_MISMATCH, "templates come from different models (" + ta.modelFingerprint() + " vs "
                        + tb.modelFingerprint() + "); re-enrol both photos with one model");
            }
            Verification v = comparator.verify(ta, tb);
            var out = spec.commandLine().getOut();
            if (json) {
                // The decision object the HTTP server answers with.
                var n = dev.sameface.server.Answers.decision(v, null);
                out.println(Json.write(n));
            } else {
                out.printf(Locale.ROOT, "decision:  %s%nscore:     %s%nthreshold: %.4f%n", v.same() ? "SAME person" : "DIFFERENT people",
                        Double.isNaN(v.score()) ? "n/a, " + v.reason() : String.format(Locale.ROOT, "%.4f", v.score()), v.threshold());
            }
            return 0;
        }
    }

    private static Template read(TemplateComparator comparator, Path p) {
        try {
            return comparator.decode(ImageDecoder.read(p));
        } catch (FaceException e) {
            if (e.code() == ErrorCode.TEMPLATE_FORMAT_ERROR) {
                throw new FaceException(e.code(), p + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }
}
