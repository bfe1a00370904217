package dev.sameface.fuzz;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.Image;
import dev.sameface.api.Template;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.image.ImageDecoder;
import dev.sameface.pipeline.image.PnmCodec;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.params.provider.Arguments;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Seed corpora made at test time from real LFW photos and real templates (none is committed): the fuzzer starts
 * from inputs that reach deep into each parser and mutates from there.
 */
final class Seeds {
    private Seeds() {
    }

    /** Small photos keep each execution fast, so the fuzzer tries more mutations a second. */
    private static final int PHOTOS = 4;

    static List<Path> photos() {
        return TestData.lfwPhotos(PHOTOS);
    }

    static Stream<Arguments> jpegs() {
        return photos().stream().map(p -> Arguments.of((Object) read(p)));
    }

    /** The photos re-encoded by ImageIO in {@code format} (png, bmp, gif, tiff, wbmp), shrunk to keep executions fast. */
    static Stream<Arguments> encoded(String format) {
        return photos().stream().map(p -> {
            try {
                BufferedImage img = ImageIO.read(p.toFile());
                int type = switch (format) {
                    case "gif" -> BufferedImage.TYPE_BYTE_INDEXED;
                    case "wbmp" -> BufferedImage.TYPE_BYTE_BINARY;
                    default -> BufferedImage.TYPE_3BYTE_BGR;
                };
                BufferedImage small = new BufferedImage(64, 64, type);
                small.createGraphics().drawImage(img, 0, 0, 64, 64, null);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                if (!ImageIO.write(small, format, out)) {
                    throw new IllegalStateException("ImageIO has no " + format + " writer");
                }
                return Arguments.of((Object) out.toByteArray());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** PPM and grey PGM of the photos, shrunk, plus a plain-text PGM with a comment. */
    static Stream<Arguments> pnms() {
        List<Arguments> seeds = new ArrayList<>();
        for (Path p : photos()) {
            Image img = ImageDecoder.DEFAULT.decode(p);
            Image small = crop(img, 40);
            seeds.add(Arguments.of((Object) PnmCodec.encode(small)));
            byte[] g = new byte[small.width() * small.height()];
            for (int i = 0; i < g.length; i++) {
                g[i] = small.pixels()[3 * i];
            }
            seeds.add(Arguments.of((Object) PnmCodec.encode(new Image(small.width(), small.height(), dev.sameface.api.PixelFormat.GRAY8, g))));
        }
        StringBuilder plain = new StringBuilder("P2\n# plain\n16 16\n65535\n");
        for (int i = 0; i < 256; i++) {
            plain.append(i * 257).append(' ');
        }
        seeds.add(Arguments.of((Object) plain.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        return seeds.stream();
    }

    private static Image crop(Image img, int side) {
        Image rgb = img.toRgb();
        byte[] px = new byte[side * side * 3];
        for (int y = 0; y < side; y++) {
            System.arraycopy(rgb.pixels(), ((y + 100) * rgb.width() + 100) * 3, px, y * side * 3, side * 3);
        }
        return new Image(side, side, dev.sameface.api.PixelFormat.RGB8, px);
    }

    /** Real templates: good ones of the photos (with landmarks) and a failed one. */
    static List<Template> templates() {
        List<Template> out = new ArrayList<>();
        try (FacePipeline pipeline = TestData.pipeline(TestData.defaultConfig())) {
            for (Path p : photos().subList(0, 2)) {
                out.add(pipeline.createTemplate(p));
            }
            out.add(Template.failed(pipeline.modelFingerprint(), ErrorCode.NO_FACE));
        }
        return out;
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
