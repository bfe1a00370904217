package dev.sameface.cli;

import dev.sameface.evaluation.Progress;
import dev.sameface.frvt.ConfigDirectory;
import dev.sameface.frvt.validation.Validation;
import dev.sameface.pipeline.models.ModelCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "frvt-validate", description = {"Run the FRVT 1:1 contract the way NIST's validation does: enrol, verify and "
        + "match phases, each split over N single-threaded worker processes; writes templates/, enroll.log, verif.log, match.log "
        + "in NIST's formats and checks what NIST checks. Exit 0 when every check passes, 1 when one fails.",
        "DIR holds input/enroll.txt, input/verif.txt, input/match.txt and the images ('sameface frvt-dataset' makes one from LFW)."})
final class FrvtValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The validation data set.")
    Path dir;

    @Option(names = "--out", paramLabel = "DIR", description = "Where logs and templates go (default: DIR/output).")
    Path out;

    @Option(names = "--workers", paramLabel = "N", description = "Worker processes, each single-threaded (default: ${DEFAULT-VALUE}).")
    int workers = 2;

    @Option(names = "--frvt-config", paramLabel = "DIR", description = "An FRVT configuration directory (default: made in OUT/config "
            + "from the pipeline configuration and the model cache). It is made read-only for the run.")
    Path frvtConfig;

    @Mixin
    PipelineOptions pipeline;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path output = out != null ? out : dir.resolve("output");
        Path config = frvtConfig;
        if (config == null) {
            config = output.resolve("config");
            if (!Files.isDirectory(config)) {
                ConfigDirectory.create(config, pipeline.resolve(), ModelCache.standard());
            }
        }
        Progress progress = Progress.forConsole(false);
        var bars = new Object() {
            String phase;
            Progress.Bar bar;
            long done;
        };
        Validation.Report report;
        try {
            report = new Validation(dir, output, config, workers, (phase, done, total) -> {
                if (!phase.equals(bars.phase)) {
                    if (bars.bar != null) {
                        bars.bar.close();
                    }
                    bars.phase = phase;
                    bars.bar = progress.start(phase, total);
                    bars.done = 0;
                }
                bars.bar.stepBy(done - bars.done);
                bars.done = done;
            }).run();
        } finally {
            if (bars.bar != null) {
                bars.bar.close();
            }
        }
        var o = spec.commandLine().getOut();
        o.print(Validation.summary(report));
        o.println("logs and templates in " + report.output() + " (summary.txt holds this table)");
        return report.passed() ? 0 : 1;
    }
}
