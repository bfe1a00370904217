package dev.sameface.pipeline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Real photos for tests and benchmarks: a spread over a folder's sorted files, so many people show. */
public final class Photos {
    private Photos() {
    }

    /** {@code count} photos (.jpg, .jpeg, .png) spread evenly over the sorted files under {@code dir}. */
    public static List<Path> spread(Path dir, int count) {
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.filter(p -> {
                String f = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return Files.isRegularFile(p) && (f.endsWith(".jpg") || f.endsWith(".jpeg") || f.endsWith(".png"));
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list photos under " + dir, e);
        }
        if (all.isEmpty()) {
            throw new IllegalStateException("no .jpg or .png photos under " + dir);
        }
        int want = Math.min(count, all.size());
        List<Path> pick = new ArrayList<>(want);
        for (int i = 0; i < want; i++) {
            pick.add(all.get((int) ((long) i * all.size() / want)));
        }
        return pick;
    }
}
