package dev.sameface.cli;

import java.util.List;

/** Subcommands that live in other modules and join the CLI when present on the class path. */
final class Extensions {
    private Extensions() {
    }

    static List<String> subcommands() {
        return List.of("dev.sameface.evaluation.EvaluateCommand", "dev.sameface.evaluation.CalibrateCommand");
    }
}
