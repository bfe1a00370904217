package dev.sameface.cli;

import dev.sameface.pipeline.files.AtomicFiles;
import dev.sameface.api.TemplateCodec;
import dev.sameface.pipeline.Enrolment;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "template", description = {"Enrol one photo into a template file (versioned binary format).",
        "A photo without a usable face still gives a template, marked failed, and exit code 5, so batch jobs keep going."})
final class TemplateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE")
    Path image;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Where to write the template.")
    Path output;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Mixin
    PipelineOptions pipeline;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (FacePipeline p = Pipelines.create(pipeline.resolve())) {
            Enrolment e = p.enrol(image);
            byte[] bytes = TemplateCodec.encode(e.template());
            AtomicFiles.write(output, bytes);
            var out = spec.commandLine().getOut();
            if (json) {
                var n = Json.enrolment(image.toString(), e);
                n.put("template", output.toString());
                n.put("bytes", bytes.length);
                n.put("model", e.template().modelFingerprint());
                out.println(Json.write(n));
            } else if (e.template().isFailed()) {
                out.printf("%s: failed template (%s) written to %s%n", image, e.template().failure(), output);
            } else {
                out.printf("%s: template (%d-d, %s, %d bytes) written to %s in %.1f ms%n", image, e.template().embedding().dimension(),
                        e.template().modelFingerprint(), bytes.length, output, e.timings().totalNanos() / 1e6);
            }
            return e.template().isFailed() ? e.template().failure().exitCode() : 0;
        }
    }
}
