package dev.sameface.openvino.bench;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.Tensor;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real model inputs made from LFW photos (250x250 deep-funneled, face centred), for this module's raw-output parity
 * and thread tests (the engine benchmark is now {@code sameface bench-models}, which prepares inputs with the
 * pipeline's ImageOps from each model's spec): each model
 * gets the input size and normalisation of its manifest entry. The crops are not aligned faces; an engine
 * comparison needs the same realistic pixels on every engine, not a correct alignment.
 */
public final class LfwInputs {
    private LfwInputs() {
    }

    /** The first photo of {@code count} people spread evenly over the alphabetical list of LFW names. */
    public static List<Path> photos(Path lfwImages, int count) {
        List<Path> people;
        try (Stream<Path> dirs = Files.list(lfwImages)) {
            people = dirs.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "cannot list LFW photos in " + lfwImages + ": " + e.getMessage(), e);
        }
        if (people.size() < count) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "LFW at " + lfwImages + " has " + people.size()
                    + " people, " + count + " needed");
        }
        List<Path> photos = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path person = people.get((int) ((long) i * people.size() / count));
            photos.add(person.resolve(person.getFileName() + "_0001.jpg"));
        }
        return photos;
    }

    public static BufferedImage read(Path photo) {
        try {
            BufferedImage img = ImageIO.read(photo.toFile());
            if (img == null) {
                throw new FaceException(ErrorCode.IMAGE_DECODE_ERROR, "not a decodable image: " + photo);
            }
            return img;
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IMAGE_DECODE_ERROR, "cannot read " + photo + ": " + e.getMessage(), e);
        }
    }

    /** The centred square of side {@code side}, resized to {@code size} x {@code size}. */
    public static BufferedImage centreCrop(BufferedImage img, int side, int size) {
        int x = (img.getWidth() - side) / 2;
        int y = (img.getHeight() - side) / 2;
        return resize(img.getSubimage(x, y, side, side), size, size);
    }

    /** Bilinear resize to exactly {@code width} x {@code height}. */
    public static BufferedImage resize(BufferedImage img, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    /** {@code img} drawn at the top left of a black canvas of {@code width} x {@code height}. */
    public static BufferedImage pad(BufferedImage img, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return out;
    }

    /** NCHW float tensor [1,3,H,W], channels RGB or BGR, each value {@code (v - mean) * scale}. */
    public static Tensor colour(BufferedImage img, boolean bgr, float mean, float scale) {
        int w = img.getWidth();
        int h = img.getHeight();
        Tensor t = Tensor.allocate(1, 3, h, w);
        FloatBuffer b = t.buffer();
        int plane = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                float r = (rgb >> 16) & 0xff;
                float g = (rgb >> 8) & 0xff;
                float bl = rgb & 0xff;
                int i = y * w + x;
                b.put(i, ((bgr ? bl : r) - mean) * scale);
                b.put(plane + i, (g - mean) * scale);
                b.put(2 * plane + i, ((bgr ? r : bl) - mean) * scale);
            }
        }
        return t;
    }

    /** [1,1,H,W] grey (ITU-R 601 luma), each value {@code v * scale}. */
    public static Tensor grey(BufferedImage img, float scale) {
        int w = img.getWidth();
        int h = img.getHeight();
        Tensor t = Tensor.allocate(1, 1, h, w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                float luma = 0.299f * ((rgb >> 16) & 0xff) + 0.587f * ((rgb >> 8) & 0xff) + 0.114f * (rgb & 0xff);
                t.buffer().put(y * w + x, luma * scale);
            }
        }
        return t;
    }

    /** fr-feature-512: a 112x112 RGB (x-127)/128 face crop. */
    public static Tensor embedderInput(Path photo) {
        return colour(centreCrop(read(photo), 128, 112), false, 127f, 1f / 128f);
    }

    /** fr-landmark-68: a 64x64 grey /256 face crop. */
    public static Tensor landmarkInput(Path photo) {
        return grey(centreCrop(read(photo), 120, 64), 1f / 256f);
    }

    /** ulfg-rfb-320: the whole photo at 320x240, RGB (x-127)/128. */
    public static Tensor ulfgInput(Path photo) {
        return colour(resize(read(photo), 320, 240), false, 127f, 1f / 128f);
    }

    /** yunet: BGR 0..255 at {@code width} x {@code height} (multiples of 32), the photo scaled to fit and padded. */
    public static Tensor yunetInput(Path photo, int width, int height) {
        BufferedImage img = read(photo);
        double s = Math.min((double) width / img.getWidth(), (double) height / img.getHeight());
        BufferedImage scaled = resize(img, (int) Math.round(img.getWidth() * s), (int) Math.round(img.getHeight() * s));
        return colour(pad(scaled, width, height), true, 0f, 1f);
    }

    public static double cosine(Tensor a, Tensor b) {
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

    public static double maxAbsDiff(Tensor a, Tensor b) {
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            max = Math.max(max, Math.abs(a.get(i) - b.get(i)));
        }
        return max;
    }
}
