package dev.sameface.evaluation;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared LFW copy; tests fail (not skip) with directions when it is missing. */
final class SharedData {
    private SharedData() {
    }

    static Path lfw() {
        String shared = System.getProperty("sameface.shared");
        if (shared == null) {
            throw new AssertionError("system property sameface.shared is not set: run the tests through Maven from "
                    + "the reactor root (the root pom passes -Dsameface.shared=../shared to surefire)");
        }
        Path lfw = Path.of(shared, "data", "lfw");
        if (!Files.isRegularFile(lfw.resolve("pairs.txt")) || !Files.isDirectory(lfw.resolve("images_deepfunneled"))) {
            throw new AssertionError("LFW is missing at " + lfw + ": it needs pairs.txt and images_deepfunneled/ "
                    + "(the shared data folder beside the repository)");
        }
        return lfw;
    }
}
