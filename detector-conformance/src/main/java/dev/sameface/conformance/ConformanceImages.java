package dev.sameface.conformance;

import dev.sameface.api.Image;
import dev.sameface.api.PixelFormat;

import javax.imageio.ImageIO;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** The suite's inputs: real LFW photos and the images made from them (mirrored, turned, scaled, tiled), and encoders. */
final class ConformanceImages {
    private ConformanceImages() {
    }

    /** ../shared, as the build passes it ({@code -Dsameface.shared}); fails with the remedy when LFW is not there. */
    static Path shared() {
        String p = System.getProperty("sameface.shared");
        Path dir = p != null ? Path.of(p) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(dir.resolve("data/lfw/images_deepfunneled"))) {
            throw new IllegalStateException("LFW not found under " + dir.toAbsolutePath() + "/data/lfw/images_deepfunneled: the detector "
                    + "conformance suite reads real photos; pass -Dsameface.shared=DIR (the directory holding data/lfw) to the test JVM");
        }
        return dir.toAbsolutePath().normalize();
    }

    /** {@code count} LFW photos of different people (each one's first), spread evenly over the alphabet. */
    static List<Path> lfwPhotos(int count) {
        Path dir = shared().resolve("data/lfw/images_deepfunneled");
        List<Path> people;
        try (Stream<Path> dirs = Files.list(dir)) {
            people = dirs.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        List<Path> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Path person = people.get((int) ((long) i * people.size() / count));
            Path first = person.resolve(person.getFileName() + "_0001.jpg");
            if (!Files.isRegularFile(first)) {
                throw new IllegalStateException("LFW photo missing: " + first);
            }
            out.add(first);
        }
        return out;
    }

    /** One LFW photo by its file name without extension, e.g. {@code AJ_Cook_0001}. */
    static Path lfw(String name) {
        String person = name.substring(0, name.lastIndexOf('_'));
        Path p = shared().resolve("data/lfw/images_deepfunneled").resolve(person).resolve(name + ".jpg");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("LFW photo missing: " + p);
        }
        return p;
    }

    static Image rotated180(Image img) {
        int ch = img.format().channels();
        byte[] src = img.pixels();
        byte[] out = new byte[src.length];
        int n = img.width() * img.height();
        for (int i = 0; i < n; i++) {
            System.arraycopy(src, i * ch, out, (n - 1 - i) * ch, ch);
        }
        return new Image(img.width(), img.height(), img.format(), out);
    }

    static Image uniform(int w, int h, int value) {
        byte[] px = new byte[w * h * 3];
        java.util.Arrays.fill(px, (byte) value);
        return new Image(w, h, PixelFormat.RGB8, px);
    }

    /** Uniform random RGB noise, seeded: the same image every run. */
    static Image noise(int w, int h, long seed) {
        byte[] px = new byte[w * h * 3];
        new Random(seed).nextBytes(px);
        return new Image(w, h, PixelFormat.RGB8, px);
    }

    /** The image resampled (bilinear) to w x h. */
    static Image scaled(Image img, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(buffered(img), 0, 0, w, h, null);
        g.dispose();
        return image(out);
    }

    /** The central {@code side x side} square of the image. */
    static Image centre(Image img, int side) {
        int x0 = (img.width() - side) / 2;
        int y0 = (img.height() - side) / 2;
        int ch = img.format().channels();
        byte[] out = new byte[side * side * ch];
        for (int y = 0; y < side; y++) {
            System.arraycopy(img.pixels(), ((y0 + y) * img.width() + x0) * ch, out, y * side * ch, side * ch);
        }
        return new Image(side, side, img.format(), out);
    }

    /** Equal square tiles, {@code columns} per row, row by row, {@code gutter} mid-grey pixels around each. */
    static Image collage(List<Image> tiles, int columns, int gutter) {
        int side = tiles.getFirst().width();
        int pitch = side + gutter;
        int rows = (tiles.size() + columns - 1) / columns;
        int w = pitch * columns;
        int h = pitch * rows;
        byte[] out = new byte[w * h * 3];
        java.util.Arrays.fill(out, (byte) 128);
        for (int t = 0; t < tiles.size(); t++) {
            Image tile = tiles.get(t).toRgb();
            int ox = (t % columns) * pitch + gutter / 2;
            int oy = (t / columns) * pitch + gutter / 2;
            for (int y = 0; y < side; y++) {
                System.arraycopy(tile.pixels(), y * side * 3, out, ((oy + y) * w + ox) * 3, side * 3);
            }
        }
        return new Image(w, h, PixelFormat.RGB8, out);
    }

    /** Lossless PNG bytes, so the detector sees exactly these pixels after the pipeline decodes them. */
    static byte[] png(Image img) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            if (!ImageIO.write(buffered(img), "png", bytes)) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JPEG bytes at quality 0.95, for inputs too large to write as PNG quickly. */
    static byte[] jpeg(Image img) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            var writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            var param = writer.getDefaultWriteParam();
            param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.95f);
            try (var out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new javax.imageio.IIOImage(buffered(img), null, null), param);
            } finally {
                writer.dispose();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage buffered(Image img) {
        Image rgb = img.toRgb();
        BufferedImage b = new BufferedImage(rgb.width(), rgb.height(), BufferedImage.TYPE_INT_RGB);
        int[] argb = new int[rgb.width() * rgb.height()];
        byte[] px = rgb.pixels();
        for (int i = 0; i < argb.length; i++) {
            argb[i] = (px[3 * i] & 0xff) << 16 | (px[3 * i + 1] & 0xff) << 8 | (px[3 * i + 2] & 0xff);
        }
        b.setRGB(0, 0, rgb.width(), rgb.height(), argb, 0, rgb.width());
        return b;
    }

    private static Image image(BufferedImage b) {
        int[] argb = b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth());
        byte[] px = new byte[argb.length * 3];
        for (int i = 0; i < argb.length; i++) {
            px[3 * i] = (byte) (argb[i] >> 16);
            px[3 * i + 1] = (byte) (argb[i] >> 8);
            px[3 * i + 2] = (byte) argb[i];
        }
        return new Image(b.getWidth(), b.getHeight(), PixelFormat.RGB8, px);
    }
}
