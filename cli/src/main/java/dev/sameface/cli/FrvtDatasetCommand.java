package dev.sameface.cli;

import dev.sameface.frvt.validation.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "frvt-dataset", description = {"Make an FRVT 1:1 validation data set from LFW for 'sameface frvt-validate': "
        + "enrolments of 2-3 photos, verifications, genuine and impostor comparisons, photos as PPM, grey PGM and JPEG, plus "
        + "bad inputs (turned, several faces, tiny, no face, empty, truncated, corrupt, gigapixel header, missing) and "
        + "damaged, foreign and missing templates. Nothing of it belongs in the repository."})
final class FrvtDatasetCommand implements Callable<Integer> {
    @Option(names = "--lfw", paramLabel = "DIR", description = "LFW's images_deepfunneled (default: ${DEFAULT-VALUE}).")
    Path lfw = Path.of("../shared/data/lfw/images_deepfunneled");

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The data set directory to write.")
    Path out;

    @Option(names = "--people", paramLabel = "N", description = "People to enrol (default: ${DEFAULT-VALUE}).")
    int people = 120;

    @Option(names = "--seed", description = "Which people are drawn (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DataSet.Made m = DataSet.make(lfw, out, people, seed);
        spec.commandLine().getOut().printf("%s: %d people, %d enrolment lines, %d verification lines, %d match lines%n", out,
                m.people(), m.enrolLines(), m.verifLines(), m.matchLines());
        return 0;
    }
}
