package dev.sameface.cli;

import dev.sameface.evaluation.Enrolment;
import picocli.CommandLine.Option;

/** How many pipelines enrol missing images: the option {@code evaluate} and {@code calibrate} share (a picocli mixin). */
final class EnrolmentOptions {
    @Option(names = "--threads", paramLabel = "N",
            description = "Enrol on N threads, each with its own single-threaded pipeline, 1..cores (default: every "
                    + "core this JVM sees). Templates and figures are the same for any N.")
    Integer threads;

    /**
     * @throws dev.sameface.api.FaceException CONFIG_ERROR when {@code --threads} is outside 1..cores
     */
    int threads() {
        return threads == null ? Enrolment.defaultThreads() : Enrolment.checkThreads("--threads", threads);
    }
}
