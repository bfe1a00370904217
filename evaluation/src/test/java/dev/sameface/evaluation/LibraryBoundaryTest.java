package dev.sameface.evaluation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The evaluation is a library: the command line (picocli, the commands) lives in the cli module, not here. */
class LibraryBoundaryTest {
    @Test
    void noCommandLineCodeIsOnThisModulesClassPath() {
        // This module's class path is its dependencies: picocli must not be one of them.
        assertThatThrownBy(() -> Class.forName("picocli.CommandLine")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("dev.sameface.evaluation.EvaluateCommand")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("dev.sameface.evaluation.CalibrateCommand")).isInstanceOf(ClassNotFoundException.class);
    }
}
