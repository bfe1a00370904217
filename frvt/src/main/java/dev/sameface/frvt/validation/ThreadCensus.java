package dev.sameface.frvt.validation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The threads of this process as the kernel sees them ({@code /proc/self/task}): Java and native alike, with their
 * names and CPU time. A worker takes one census before and one after its work and counts the threads that did a
 * real share of it: those are the threads that computed templates, whatever created them (the JVM, ONNX Runtime's
 * pool, OpenMP). The JVM's own service threads (JIT compilers, garbage collector, VM thread) are listed apart: they
 * are not the implementation's and a one-processor JVM keeps them few.
 */
public final class ThreadCensus {
    /** Share of the process's CPU time during the work a thread must have used to count as computing. */
    public static final double BUSY_SHARE = 0.10;
    private static final List<String> JVM_SERVICE = List.of("C1 CompilerThre", "C2 CompilerThre", "GC Thread", "G1 ", "VM Thread",
            "VM Periodic Tas", "Signal Dispatch", "Reference Handl", "Finalizer", "Common-Cleaner", "Notification Th",
            "Service Thread", "Monitor Deflati", "Attach Listener", "Sweeper thread");

    /** Thread id to (name, CPU ticks). */
    private final Map<String, Map.Entry<String, Long>> threads;

    private ThreadCensus(Map<String, Map.Entry<String, Long>> threads) {
        this.threads = threads;
    }

    public static ThreadCensus take() {
        Map<String, Map.Entry<String, Long>> m = new HashMap<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : s.toList()) {
                try {
                    String name = Files.readString(t.resolve("comm")).strip();
                    String stat = Files.readString(t.resolve("stat"));
                    // Fields after the parenthesised name: state is field 3, utime 14 and stime 15.
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    m.put(t.getFileName().toString(), Map.entry(name, Long.parseLong(f[11]) + Long.parseLong(f[12])));
                } catch (IOException | RuntimeException e) {
                    // The thread ended between listing and reading: it is no longer one of ours.
                    m.remove(t.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/task (the thread census needs Linux): " + e.getMessage(), e);
        }
        return new ThreadCensus(m);
    }

    public int total() {
        return threads.size();
    }

    /**
     * Names of the threads (not the JVM's service threads) that used at least {@link #BUSY_SHARE} of all the CPU time
     * the process used since {@code before}. A share of the process's CPU, not of wall time, so that a machine busy
     * with other work does not hide a thread.
     */
    public List<String> busySince(ThreadCensus before) {
        long total = threads.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue().getValue() - before.ticks(e.getKey()))).sum();
        return threads.entrySet().stream()
                .filter(e -> !isJvmService(e.getValue().getKey()))
                .filter(e -> {
                    long used = e.getValue().getValue() - before.ticks(e.getKey());
                    return used > 0 && used >= BUSY_SHARE * total;
                })
                .map(e -> e.getValue().getKey() + "#" + e.getKey())
                .sorted().toList();
    }

    private long ticks(String tid) {
        var e = threads.get(tid);
        return e == null ? 0 : e.getValue();
    }

    static boolean isJvmService(String name) {
        return JVM_SERVICE.stream().anyMatch(name::startsWith);
    }

    /** The names of every thread, for the worker's report. */
    public Set<String> names() {
        return Set.copyOf(threads.values().stream().map(Map.Entry::getKey).toList());
    }
}
