package dev.sameface.cli;

import dev.sameface.pipeline.testing.TestData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A folders protocol on real photos: {@code dir/people/Name/*.jpg}, copies of each person's first LFW photos. */
final class LfwPeople {
    private LfwPeople() {
    }

    static Path copy(Path dir, List<String> people, int photosEach) throws IOException {
        Path root = dir.resolve("people");
        for (String p : people) {
            Path d = Files.createDirectories(root.resolve(p));
            for (int i = 1; i <= photosEach; i++) {
                Path photo = TestData.lfw(p, i);
                Files.copy(photo, d.resolve(photo.getFileName()));
            }
        }
        return root;
    }
}
