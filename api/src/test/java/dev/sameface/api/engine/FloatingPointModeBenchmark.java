package dev.sameface.api.engine;

import java.util.Arrays;
import java.util.Locale;

/**
 * What one {@code try (var m = FloatingPointMode.enter(d)) {}} costs on this thread: median over batches of a million,
 * for a mode change (flush on an IEEE thread: get, set, restore) and for none (keep on an IEEE thread: get, restore).
 * A benchmark, not a test: run it by hand on a quiet machine and quote the CPU.
 *
 * <pre>
 * mvn -q -pl api test-compile
 * java --enable-native-access=ALL-UNNAMED -cp api/target/classes:api/target/test-classes dev.sameface.api.engine.FloatingPointModeBenchmark
 * </pre>
 */
public final class FloatingPointModeBenchmark {
    private static final int BATCH = 1_000_000;

    private FloatingPointModeBenchmark() {
    }

    public static void main(String[] args) {
        System.out.println(FloatingPointMode.support());
        for (Denormals d : Denormals.values()) {
            batch(d);
            batch(d);
            double[] ns = new double[9];
            for (int i = 0; i < ns.length; i++) {
                ns[i] = batch(d);
            }
            Arrays.sort(ns);
            System.out.printf(Locale.ROOT, "enter(%s) + close on an IEEE thread: median %.1f ns (min %.1f, max %.1f) per scope%n",
                    d.value(), ns[ns.length / 2], ns[0], ns[ns.length - 1]);
        }
    }

    private static double batch(Denormals d) {
        long start = System.nanoTime();
        for (int i = 0; i < BATCH; i++) {
            try (var m = FloatingPointMode.enter(d)) {
                // An empty scope: only its own cost is measured.
            }
        }
        return (System.nanoTime() - start) / (double) BATCH;
    }
}
