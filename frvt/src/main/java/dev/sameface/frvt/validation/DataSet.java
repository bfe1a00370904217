package dev.sameface.frvt.validation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.api.PixelFormat;
import dev.sameface.frvt.Rotation;
import dev.sameface.pipeline.image.ImageDecoder;
import dev.sameface.pipeline.image.PnmCodec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Makes a validation data set from LFW (nothing of it is committed): for each of {@code people} people with at least
 * four photos, an enrolment of two or three photos and a verification of another one; a genuine and an impostor
 * comparison per person; the photos as PPM, grey PGM or the original JPEG in turn, with NIST's descriptions in turn;
 * plus the bad inputs an FRVT run throws at an implementation (turned, several faces, tiny face, grey, no face,
 * empty, truncated, corrupt, gigapixel header, missing file) and damaged, foreign and missing templates.
 */
public final class DataSet {
    private static final String[] DESCRIPTIONS = {"wild", "mugshot", "photojournalism", "iso", "exploitation", "unknown"};

    private DataSet() {
    }

    /** What was written: counts per list. */
    public record Made(int people, int enrolLines, int verifLines, int matchLines) {
    }

    public static Made make(Path lfwImages, Path out, int people, long seed) throws IOException {
        List<Path> persons;
        try (Stream<Path> s = Files.list(lfwImages)) {
            persons = new ArrayList<>(s.filter(Files::isDirectory).filter(p -> photos(p).size() >= 4).sorted().toList());
        }
        if (persons.size() < people) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, lfwImages + " has " + persons.size() + " people with four photos or more, "
                    + people + " asked for");
        }
        Collections.shuffle(persons, new Random(seed));
        persons = persons.subList(0, people);
        Path images = Files.createDirectories(out.resolve("images"));
        Path input = Files.createDirectories(out.resolve("input"));
        List<String> enrol = new ArrayList<>();
        List<String> verif = new ArrayList<>();
        List<String> match = new ArrayList<>();
        int n = 0;
        for (int i = 0; i < persons.size(); i++) {
            List<Path> photos = photos(persons.get(i));
            int k = 2 + i % 2;
            StringBuilder line = new StringBuilder(String.format("enroll-%04d", i));
            for (int j = 0; j < k; j++) {
                line.append(' ').append(place(photos.get(j), images, n++));
            }
            enrol.add(line.toString());
            verif.add(String.format("verif-%04d %s", i, place(photos.get(k), images, n++)));
            match.add(String.format("enroll-%04d.template verif-%04d.template", i, i));
            match.add(String.format("enroll-%04d.template verif-%04d.template", i, (i + 1) % persons.size()));
        }

        // Bad and unusual inputs, each verified against the first enrolment.
        Path source = photos(persons.getFirst()).get(photos(persons.getFirst()).size() - 1);
        Image photo = ImageDecoder.DEFAULT.decode(source);
        Image other = ImageDecoder.DEFAULT.decode(photos(persons.get(1)).getFirst());
        byte[] jpeg = Files.readAllBytes(source);
        List<String> bad = List.of("turned-90.ppm", "turned-180.ppm", "two-faces.ppm", "tiny-face.ppm", "grey.pgm", "no-face.pgm",
                "empty.jpg", "truncated.jpg", "corrupt.jpg", "gigapixel.ppm", "truncated.ppm");
        Files.write(images.resolve("bad-turned-90.ppm"), PnmCodec.encode(Rotation.CLOCKWISE_90.apply(photo)));
        Files.write(images.resolve("bad-turned-180.ppm"), PnmCodec.encode(Rotation.HALF_TURN.apply(photo)));
        Files.write(images.resolve("bad-two-faces.ppm"), PnmCodec.encode(sideBySide(photo, other.toRgb())));
        Files.write(images.resolve("bad-tiny-face.ppm"), PnmCodec.encode(smallInFrame(photo, 4, 640)));
        Files.write(images.resolve("bad-grey.pgm"), PnmCodec.encode(grey(photo)));
        Files.write(images.resolve("bad-no-face.pgm"), PnmCodec.encode(new Image(300, 300, PixelFormat.GRAY8, new byte[300 * 300])));
        Files.write(images.resolve("bad-empty.jpg"), new byte[0]);
        Files.write(images.resolve("bad-truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        byte[] corrupt = jpeg.clone();
        new Random(seed).nextBytes(corrupt);
        corrupt[0] = (byte) 0xFF;
        corrupt[1] = (byte) 0xD8;
        corrupt[2] = (byte) 0xFF;
        Files.write(images.resolve("bad-corrupt.jpg"), corrupt);
        Files.write(images.resolve("bad-gigapixel.ppm"), "P6\n60000 60000\n255\n".getBytes(StandardCharsets.US_ASCII));
        byte[] ppm = PnmCodec.encode(photo);
        Files.write(images.resolve("bad-truncated.ppm"), Arrays.copyOf(ppm, ppm.length - 1000));
        for (String b : bad) {
            String id = "bad-" + b.replace('.', '-');
            verif.add(id + " images/bad-" + b + ":wild");
            match.add("enroll-0000.template " + id + ".template");
        }
        verif.add("bad-missing-file images/bad-not-there.jpg");
        match.add("enroll-0000.template bad-missing-file.template");
        // An enrolment where one of two files is unusable still enrols from the other.
        enrol.add("enroll-mixed images/bad-empty.jpg " + place(photos(persons.getFirst()).get(1), images, n++));
        match.add("enroll-mixed.template verif-0000.template");

        List<String> derived = List.of(
                "bad-truncated.template truncate enroll-0000.template",
                "bad-flipped.template flip enroll-0000.template",
                "bad-foreign.template file images/bad-grey.pgm");
        for (String d : derived) {
            match.add(d.split(" ")[0] + " verif-0000.template");
            match.add("enroll-0000.template " + d.split(" ")[0]);
        }
        match.add("absent.template verif-0000.template");

        Files.write(input.resolve("enroll.txt"), enrol);
        Files.write(input.resolve("verif.txt"), verif);
        Files.write(input.resolve("match.txt"), match);
        Files.write(input.resolve("derived-templates.txt"), derived);
        return new Made(people, enrol.size(), verif.size(), match.size());
    }

    private static List<Path> photos(Path person) {
        try (Stream<Path> s = Files.list(person)) {
            return s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        } catch (IOException e) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "cannot list " + person + ": " + e.getMessage(), e);
        }
    }

    /** Writes photo number {@code n} as PPM, grey PGM or the JPEG itself, in turn; returns its list entry. */
    private static String place(Path jpeg, Path images, int n) throws IOException {
        String base = jpeg.getFileName().toString().replace(".jpg", "");
        String description = DESCRIPTIONS[n % DESCRIPTIONS.length];
        String name = switch (n % 3) {
            case 0 -> {
                Files.write(images.resolve(base + ".ppm"), PnmCodec.encode(ImageDecoder.DEFAULT.decode(jpeg).toRgb()));
                yield base + ".ppm";
            }
            case 1 -> {
                Files.write(images.resolve(base + ".pgm"), PnmCodec.encode(grey(ImageDecoder.DEFAULT.decode(jpeg))));
                yield base + ".pgm";
            }
            default -> {
                Files.copy(jpeg, images.resolve(base + ".jpg"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                yield base + ".jpg";
            }
        };
        return "images/" + name + ":" + description;
    }

    /** The green channel as grey (a colour image) or the image itself (already grey). */
    public static Image grey(Image img) {
        if (img.format() == PixelFormat.GRAY8) {
            return img;
        }
        byte[] g = new byte[img.width() * img.height()];
        for (int i = 0; i < g.length; i++) {
            g[i] = img.pixels()[3 * i + 1];
        }
        return new Image(img.width(), img.height(), PixelFormat.GRAY8, g);
    }

    /** Two RGB photos side by side on black. */
    public static Image sideBySide(Image a, Image b) {
        a = a.toRgb();
        b = b.toRgb();
        int h = Math.max(a.height(), b.height());
        int w = a.width() + b.width();
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < a.height(); y++) {
            System.arraycopy(a.pixels(), y * a.width() * 3, px, y * w * 3, a.width() * 3);
        }
        for (int y = 0; y < b.height(); y++) {
            System.arraycopy(b.pixels(), y * b.width() * 3, px, (y * w + a.width()) * 3, b.width() * 3);
        }
        return new Image(w, h, PixelFormat.RGB8, px);
    }

    /** The photo shrunk {@code factor} times (nearest neighbour) near the corner of a {@code frame}-pixel grey square. */
    public static Image smallInFrame(Image src, int factor, int frame) {
        src = src.toRgb();
        byte[] px = new byte[frame * frame * 3];
        Arrays.fill(px, (byte) 128);
        int w = src.width() / factor;
        int h = src.height() / factor;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(src.pixels(), ((y * factor) * src.width() + x * factor) * 3, px, ((y + 40) * frame + x + 40) * 3, 3);
            }
        }
        return new Image(frame, frame, PixelFormat.RGB8, px);
    }
}
