package dev.sameface.spark;

import dev.sameface.pipeline.testing.TestData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A small LFW, copied (a few MB): the first people (in name order) with two to {@code maxEach} photos, up to a photo budget. */
final class LfwSubset {
    private LfwSubset() {
    }

    static int create(Path root, int photos, int maxEach) throws IOException {
        int made = 0;
        try (Stream<Path> people = Files.list(TestData.lfwImages())) {
            for (Path person : people.filter(Files::isDirectory).sorted().toList()) {
                List<Path> files;
                try (Stream<Path> f = Files.list(person)) {
                    files = f.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
                }
                if (files.size() < 2 || files.size() > maxEach) {
                    continue;
                }
                if (made + files.size() > photos) {
                    break;
                }
                Path dir = Files.createDirectories(root.resolve(person.getFileName().toString()));
                for (Path f : files) {
                    Files.copy(f, dir.resolve(f.getFileName().toString()));
                }
                made += files.size();
            }
        }
        return made;
    }
}
