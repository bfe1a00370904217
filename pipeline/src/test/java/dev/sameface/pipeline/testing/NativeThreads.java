package dev.sameface.pipeline.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The process's threads as the kernel sees them ({@code /proc/self/task}), Java and native alike. */
public final class NativeThreads {
    private NativeThreads() {
    }

    public static int count() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/task (Linux only): " + e.getMessage(), e);
        }
    }

    /** Thread names ({@code comm}), to say in a failure message which threads appeared. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : s.toList()) {
                try {
                    names.add(Files.readString(t.resolve("comm")).strip());
                } catch (IOException e) {
                    names.add("(exited)");
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/task: " + e.getMessage(), e);
        }
        return names;
    }

    /** Names present in {@code after} more often than in {@code before}. */
    public static List<String> added(List<String> before, List<String> after) {
        List<String> rest = new ArrayList<>(after);
        before.forEach(rest::remove);
        return rest;
    }
}
