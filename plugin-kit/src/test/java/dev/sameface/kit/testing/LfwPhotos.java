package dev.sameface.kit.testing;

import dev.sameface.api.Image;
import dev.sameface.api.PixelFormat;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real LFW photos for the kit's and the stages' tests, which cannot use the pipeline's test data (the pipeline
 * depends on them). Decoded with the JDK's ImageIO: these tests compare two implementations on the same pixels,
 * so which decoder made the pixels does not matter. Fails loudly, with the remedy, when LFW is missing.
 */
public final class LfwPhotos {
    private LfwPhotos() {
    }

    /** {@code count} RGB8 photos of different people (each one's first), spread over the alphabet. */
    public static List<Image> first(int count) {
        return paths(count).stream().map(LfwPhotos::rgb).toList();
    }

    /** The files of {@link #first}: every test that wants "a few LFW photos" takes these. */
    public static List<Path> paths(int count) {
        Path dir = images();
        List<Path> people;
        try (Stream<Path> dirs = Files.list(dir)) {
            people = dirs.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        int want = Math.min(count, people.size());
        List<Path> out = new ArrayList<>(want);
        for (int i = 0; i < want; i++) {
            Path person = people.get((int) ((long) i * people.size() / want));
            Path first = person.resolve(person.getFileName() + "_0001.jpg");
            if (!Files.isRegularFile(first)) {
                throw new IllegalStateException("LFW photo missing: " + first);
            }
            out.add(first);
        }
        return out;
    }

    private static Path images() {
        String p = System.getProperty("sameface.shared");
        Path dir = (p != null ? Path.of(p) : Path.of("..", "..", "shared")).resolve("data/lfw/images_deepfunneled");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("LFW not found at " + dir.toAbsolutePath() + ": tests read real photos from ../shared next "
                    + "to the checkout (run them from the repository root with mvn, which sets -Dsameface.shared)");
        }
        return dir;
    }

    private static Image rgb(Path file) {
        BufferedImage b;
        try {
            b = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (b == null) {
            throw new IllegalStateException("not an image ImageIO reads: " + file);
        }
        byte[] px = new byte[b.getWidth() * b.getHeight() * 3];
        for (int y = 0, o = 0; y < b.getHeight(); y++) {
            for (int x = 0; x < b.getWidth(); x++, o += 3) {
                int argb = b.getRGB(x, y);
                px[o] = (byte) (argb >> 16);
                px[o + 1] = (byte) (argb >> 8);
                px[o + 2] = (byte) argb;
            }
        }
        return new Image(b.getWidth(), b.getHeight(), PixelFormat.RGB8, px);
    }
}
