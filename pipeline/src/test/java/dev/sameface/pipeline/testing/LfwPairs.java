package dev.sameface.pipeline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The LFW {@code pairs.txt} protocol for tests: 10 folds of 300 same and 300 different pairs. */
public final class LfwPairs {
    public record Pair(int fold, Path a, Path b, boolean same) {
    }

    private LfwPairs() {
    }

    public static List<Pair> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(TestData.pairsFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] header = lines.getFirst().trim().split("\\s+");
        int folds = Integer.parseInt(header[0]);
        int per = Integer.parseInt(header[1]);
        List<Pair> pairs = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length == 1 && f[0].isEmpty()) {
                continue;
            }
            int fold = (i - 1) / (2 * per);
            pairs.add(f.length == 3
                    ? new Pair(fold, TestData.lfw(f[0], Integer.parseInt(f[1])), TestData.lfw(f[0], Integer.parseInt(f[2])), true)
                    : new Pair(fold, TestData.lfw(f[0], Integer.parseInt(f[1])), TestData.lfw(f[2], Integer.parseInt(f[3])), false));
        }
        if (pairs.size() != folds * per * 2) {
            throw new IllegalStateException("pairs.txt holds " + pairs.size() + " pairs, its header promises " + folds * per * 2);
        }
        return pairs;
    }

    public static List<Pair> fold(int k) {
        return read().stream().filter(p -> p.fold() == k).toList();
    }
}
