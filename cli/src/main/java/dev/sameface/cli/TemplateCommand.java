package dev.sameface.cli;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.files.AtomicFiles;
import dev.sameface.pipeline.Enrolment;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;
import dev.sameface.pipeline.image.InputFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "template", description = {"Enrol one photo into a template file (versioned binary format).",
        "A photo without a usable face still gives a template, marked failed, and exit code 5, so batch jobs keep going;",
        "a file that cannot be read or decoded writes nothing and exits 4 with the decoder's reason."})
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
        // Checked before any model loads; an image that cannot be decoded is refused by enrol with the decoder's reason.
        InputFiles.checkedSize(image, InputFiles.maxBytes());
        try (FacePipeline p = Pipelines.create(pipeline.resolve())) {
            Enrolment e = p.enrol(image);
            // Protected with the configured key (MAC or encryption) when templates.key-file is set.
            byte[] bytes = p.encode(e.template());
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
