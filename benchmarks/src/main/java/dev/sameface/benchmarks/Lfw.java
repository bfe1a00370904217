package dev.sameface.benchmarks;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.kit.testing.LfwPhotos;
import dev.sameface.pipeline.image.ImageDecoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real photos every benchmark reads: LFW under ../shared (or -Dsameface.shared), never synthetic images. */
final class Lfw {
    private Lfw() {
    }

    static Path images() {
        Path shared = Path.of(System.getProperty("sameface.shared", "../shared"));
        Path dir = shared.resolve("data/lfw/images_deepfunneled");
        if (!Files.isDirectory(dir)) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "LFW not found at " + dir.toAbsolutePath()
                    + "; run scripts/jmh from the checkout (it passes -Dsameface.shared=../shared)");
        }
        return dir;
    }

    /** {@code count} photos of different people spread over the alphabet, as the tests take them. */
    static List<Path> photos(int count) {
        return LfwPhotos.paths(count);
    }

    /** The bytes of {@code count} JPEGs spread over the alphabet. */
    static List<byte[]> jpegs(int count) {
        List<byte[]> out = new ArrayList<>();
        for (Path p : photos(count)) {
            out.add(ImageDecoder.read(p));
        }
        return out;
    }
}
