package dev.sameface.cli;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** What the bench commands need around the pipeline: which photos to time, and how alike two engines' outputs are. */
final class BenchInputs {
    private BenchInputs() {
    }

    /** {@code count} photos (.jpg, .jpeg, .png) spread evenly over the sorted files under {@code dir}, so many people show. */
    static List<Path> photos(Path dir, int count) {
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.filter(p -> {
                String f = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return Files.isRegularFile(p) && (f.endsWith(".jpg") || f.endsWith(".jpeg") || f.endsWith(".png"));
            }).sorted().toList();
        } catch (IOException e) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "cannot list photos under " + dir + ": " + e.getMessage(), e);
        }
        if (all.isEmpty()) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "no .jpg or .png photos under " + dir);
        }
        int want = Math.min(count, all.size());
        List<Path> pick = new ArrayList<>(want);
        for (int i = 0; i < want; i++) {
            pick.add(all.get((int) ((long) i * all.size() / want)));
        }
        return pick;
    }

    /** Cosine of two tensors taken as flat vectors. */
    static double cosine(Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "outputs differ in size: " + a + " vs " + b);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += (double) a.get(i) * b.get(i);
            na += (double) a.get(i) * a.get(i);
            nb += (double) b.get(i) * b.get(i);
        }
        return dot / Math.sqrt(na * nb);
    }
}
