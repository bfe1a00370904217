package dev.sameface.evaluation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Assigns each distinct image path one index, in first-seen order; remembers its subject. */
final class ImageIndex {
    private final Map<Path, Integer> index = new HashMap<>();
    private final List<Path> images = new ArrayList<>();
    private final List<String> subjects = new ArrayList<>();

    int add(Path image, String subject) {
        Path key = image.toAbsolutePath().normalize();
        Integer i = index.get(key);
        if (i != null) {
            return i;
        }
        index.put(key, images.size());
        images.add(key);
        subjects.add(subject);
        return images.size() - 1;
    }

    List<Path> images() {
        return images;
    }

    List<String> subjects() {
        return subjects;
    }
}
