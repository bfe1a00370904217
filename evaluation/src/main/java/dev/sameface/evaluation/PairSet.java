package dev.sameface.evaluation;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The comparisons a protocol asks for, over a de-duplicated list of images, so that each image is enrolled once.
 * Pairs are parallel arrays (millions of impostor pairs must not cost an object each).
 *
 * @param name      what the protocol was, for reports (e.g. "LFW pairs.txt")
 * @param images    every image that takes part, each once
 * @param subjects  per image, the person it shows, or {@code null} when the protocol does not say (plain lists)
 * @param left      per pair, index into {@code images}
 * @param right     per pair, index into {@code images}
 * @param genuine   per pair, whether both images show the same person
 * @param fold      per pair, the fold it belongs to (0-based), or {@code null} when the protocol has no folds
 * @param folds     number of folds, 0 without folds
 */
public record PairSet(String name, List<Path> images, List<String> subjects, int[] left, int[] right,
                      boolean[] genuine, int[] fold, int folds) {
    public PairSet {
        Objects.requireNonNull(name);
        images = List.copyOf(images);
        if (subjects != null && subjects.size() != images.size()) {
            throw new IllegalArgumentException("subjects and images differ in length");
        }
        if (left.length != right.length || left.length != genuine.length || (fold != null && fold.length != left.length)) {
            throw new IllegalArgumentException("pair arrays differ in length");
        }
        for (int i = 0; i < left.length; i++) {
            if (left[i] < 0 || left[i] >= images.size() || right[i] < 0 || right[i] >= images.size()) {
                throw new IllegalArgumentException("pair " + i + " points outside the image list");
            }
        }
    }

    public int size() {
        return left.length;
    }

    public int genuineCount() {
        int n = 0;
        for (boolean g : genuine) {
            if (g) {
                n++;
            }
        }
        return n;
    }

    public int impostorCount() {
        return size() - genuineCount();
    }

    public boolean hasSubjects() {
        return subjects != null;
    }

    public boolean hasFolds() {
        return fold != null && folds > 1;
    }

    /** Number of distinct subjects that own at least one genuine pair. */
    public int genuineSubjectCount() {
        if (subjects == null) {
            return 0;
        }
        java.util.Set<String> s = new java.util.HashSet<>();
        for (int i = 0; i < left.length; i++) {
            if (genuine[i]) {
                s.add(subjects.get(left[i]));
            }
        }
        return s.size();
    }
}
