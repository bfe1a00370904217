package dev.sameface.evaluation;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * Progress bars with rate and ETA on the terminal for long steps, or nothing at all: quiet when the output is for
 * machines ({@code --json}), in CI logs ({@code CI=true}) and when no terminal is attached, where a bar redrawn with
 * carriage returns would only fill the log. Bars go to standard output, which is the terminal whenever they are
 * shown: the launcher filters standard error line by line, which would hold back a bar redrawn without newlines.
 */
public final class Progress {
    private static final Progress SILENT = new Progress(false, null);
    private final boolean enabled;
    private final PrintStream out;

    private Progress(boolean enabled, PrintStream out) {
        this.enabled = enabled;
        this.out = out;
    }

    public static Progress silent() {
        return SILENT;
    }

    /** A console progress when a person is watching, else silent. */
    public static Progress forConsole(boolean jsonOutput) {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        java.io.Console console = System.console();
        boolean terminal = console != null && console.isTerminal();
        return !jsonOutput && !ci && terminal ? new Progress(true, System.out) : SILENT;
    }

    /** Bars drawn to {@code out} whatever is attached: for tests of the bar itself. */
    static Progress to(PrintStream out) {
        return new Progress(true, out);
    }

    public boolean enabled() {
        return enabled;
    }

    /** One step of known size; close it when done. */
    public Bar start(String task, long max) {
        return start(task, max, 0);
    }

    /**
     * One step of known size of which {@code alreadyDone} needs no work (templates read from the store): the bar
     * starts there, and its rate and ETA count only the work done now. Steps may come from any thread.
     */
    public Bar start(String task, long max, long alreadyDone) {
        if (!enabled) {
            return new Bar(null);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .startsFrom(alreadyDone, Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setUpdateIntervalMillis(500)
                .setConsumer(new ConsoleProgressBarConsumer(out))
                .build();
        return new Bar(bar);
    }

    /** A running bar; every method is a no-op when progress is silent. Thread-safe (the library's state is synchronized). */
    public static final class Bar implements AutoCloseable {
        private final ProgressBar bar;

        private Bar(ProgressBar bar) {
            this.bar = bar;
        }

        public void step() {
            if (bar != null) {
                bar.step();
            }
        }

        public void stepBy(long n) {
            if (bar != null) {
                bar.stepBy(n);
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
