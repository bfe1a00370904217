package dev.sameface.pipeline;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.api.PixelFormat;
import dev.sameface.api.Template;
import dev.sameface.pipeline.image.ImageDecoder;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every kind of bad or unusual input gives either a typed error or, where the input is a valid picture, the right
 * answer: decoded faithfully and verified as the same person as the original colour photo.
 */
class BadInputTest {
    private static FacePipeline pipeline;
    private static Path photo;
    private static BufferedImage original;
    private static Template reference;

    @BeforeAll
    static void setUp() throws IOException {
        pipeline = TestData.pipeline(TestData.defaultConfig());
        photo = TestData.lfw("Tony_Blair", 1);
        original = ImageIO.read(photo.toFile());
        reference = pipeline.createTemplate(photo);
        assertThat(reference.isFailed()).isFalse();
    }

    @AfterAll
    static void tearDown() {
        pipeline.close();
    }

    private static void assertRefused(byte[] bytes, ErrorCode code, String messagePart) {
        assertThatThrownBy(() -> ImageDecoder.DEFAULT.decode(bytes, "input"))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContaining(messagePart);
        // Through the template API the same input is the same error with the decoder's reason, never a failed
        // template: only a readable image without a face is one (issue 10, item 15).
        assertThatThrownBy(() -> pipeline.createTemplate(bytes, "input"))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContaining(messagePart);
    }

    @Test
    void zeroBytes() {
        assertRefused(new byte[0], ErrorCode.IMAGE_DECODE_ERROR, "empty");
    }

    @Test
    void truncatedJpeg() throws IOException {
        byte[] jpeg = Files.readAllBytes(photo);
        assertRefused(Arrays.copyOf(jpeg, jpeg.length / 2), ErrorCode.IMAGE_DECODE_ERROR, "truncated");
    }

    @Test
    void textFile() {
        assertRefused("name,score\nalice,0.9\n".getBytes(StandardCharsets.UTF_8), ErrorCode.IMAGE_DECODE_ERROR, "not an image");
    }

    @Test
    void onePixelImage() throws IOException {
        assertRefused(png(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB)), ErrorCode.IMAGE_SIZE_REFUSED, "too small");
    }

    @Test
    void hugeHeaderIsRefusedBeforeDecoding() {
        // A PNG whose header claims 20000x20000 (1.2 GB of pixels) followed by no pixel data at all: refusing it from
        // the header is the only way to refuse it in constant memory.
        byte[] bomb = pngHeaderOnly(20_000, 20_000);
        long before = usedHeap();
        assertRefused(bomb, ErrorCode.IMAGE_SIZE_REFUSED, "20000x20000");
        assertThat(usedHeap() - before).isLessThan(200L << 20);
    }

    @Test
    void missingFileIsAnInputLocationError() {
        Path missing = Path.of("/nonexistent/face.jpg");
        assertThatThrownBy(() -> ImageDecoder.DEFAULT.decode(missing))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_LOCATION_ERROR));
        assertThatThrownBy(() -> pipeline.createTemplate(missing))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_LOCATION_ERROR))
                .hasMessageContaining("no such file");
    }

    @Test
    void imageWithoutAFaceGivesAFailedTemplate() throws IOException {
        BufferedImage sky = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                sky.setRGB(x, y, (40 + y / 3) << 16 | (90 + y / 4) << 8 | (200 - x / 8));
            }
        }
        Enrolment e = pipeline.enrol(jpeg(sky), "sky.jpg");
        assertThat(e.faces()).isEmpty();
        assertThat(e.template().isFailed()).isTrue();
        assertThat(e.template().failure()).isEqualTo(ErrorCode.NO_FACE);
    }

    @Test
    void greyscaleJpegVerifiesAgainstTheColourOriginal() throws IOException {
        BufferedImage grey = new BufferedImage(original.getWidth(), original.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        grey.getGraphics().drawImage(original, 0, 0, null);
        byte[] bytes = jpeg(grey);
        assertThat(ImageDecoder.DEFAULT.decode(bytes, "grey").format()).isEqualTo(PixelFormat.GRAY8);
        assertSamePersonAsOriginal(bytes);
    }

    @Test
    void cmykJpegDecodesToTheRightColours() throws IOException {
        // A 4-band CMYK JPEG with black generation (K = 255 - max(R, G, B)), stored as Adobe (Photoshop) writes it:
        // 255 - ink per channel, under an Adobe marker with no colour transform.
        int w = original.getWidth(), h = original.getHeight();
        WritableRaster cmyk = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = original.getRGB(x, y);
                int r = rgb >> 16 & 255, g = rgb >> 8 & 255, b = rgb & 255;
                int k = 255 - Math.max(r, Math.max(g, b));
                int c = 255 - r - k, m = 255 - g - k, yy = 255 - b - k;
                cmyk.setPixel(x, y, new int[]{255 - c, 255 - m, 255 - yy, 255 - k});
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (var ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(cmyk, null, null), null);
        } finally {
            writer.dispose();
        }
        byte[] cmykJpeg = withAdobeMarker(out.toByteArray());
        Image decoded = ImageDecoder.DEFAULT.decode(cmykJpeg, "cmyk");
        assertThat(decoded.format()).isEqualTo(PixelFormat.RGB8);
        // Colours survive within JPEG loss: compare mean channel values with the original.
        Image orig = ImageDecoder.DEFAULT.decode(Files.readAllBytes(photo), "orig");
        for (int c = 0; c < 3; c++) {
            // A CMYK profile conversion is not the naive inverse of the black generation above, hence a loose bound;
            // a reader that ignored the Adobe convention would be off by 100+ levels.
            assertThat(Math.abs(meanChannel(decoded, c) - meanChannel(orig, c))).as("channel %d", c).isLessThan(30);
        }
        assertSamePersonAsOriginal(cmykJpeg);
    }

    /** Inserts Adobe's APP14 segment (version 100, transform 0 = CMYK stored as is) right after SOI. */
    private static byte[] withAdobeMarker(byte[] jpeg) {
        byte[] app14 = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] out = new byte[jpeg.length + app14.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(app14, 0, out, 2, app14.length);
        System.arraycopy(jpeg, 2, out, 2 + app14.length, jpeg.length - 2);
        return out;
    }

    @Test
    void pngWithAlphaVerifiesAgainstTheOriginal() throws IOException {
        BufferedImage argb = new BufferedImage(original.getWidth(), original.getHeight(), BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < argb.getHeight(); y++) {
            for (int x = 0; x < argb.getWidth(); x++) {
                // Opaque face in the middle, fading to transparent at the border.
                int border = Math.min(Math.min(x, y), Math.min(argb.getWidth() - 1 - x, argb.getHeight() - 1 - y));
                int alpha = Math.min(255, border * 8);
                argb.setRGB(x, y, alpha << 24 | (original.getRGB(x, y) & 0xffffff));
            }
        }
        assertSamePersonAsOriginal(png(argb));
    }

    @Test
    void sixteenBitPngVerifiesAgainstTheOriginal() throws IOException {
        BufferedImage g16 = new BufferedImage(original.getWidth(), original.getHeight(), BufferedImage.TYPE_USHORT_GRAY);
        Graphics2D g = g16.createGraphics();
        g.drawImage(original, 0, 0, null);
        g.dispose();
        assertThat(g16.getColorModel().getComponentSize(0)).isEqualTo(16);
        assertSamePersonAsOriginal(png(g16));
    }

    @Test
    void manyFacesSelectTheSubject() throws IOException {
        // Two people, Blair drawn larger and in the middle: the template must be Blair's. (The default's large-central
        // rule prefers a large face unless it sits off-centre; see SubjectSelectionTest for why not simply the largest.)
        BufferedImage other = ImageIO.read(TestData.lfw("Gloria_Macapagal_Arroyo", 1).toFile());
        BufferedImage group = new BufferedImage(800, 400, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = group.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(other, 0, 100, 200, 200, null);
        g.drawImage(original, 200, 0, 400, 400, null);
        g.dispose();
        Enrolment e = pipeline.enrol(jpeg(group), "group.jpg");
        assertThat(e.faces().size()).isGreaterThanOrEqualTo(2);
        assertThat(e.selected().box().x()).isGreaterThan(250);
        assertThat(pipeline.similarity(e.template(), reference)).isGreaterThan(pipeline.threshold());
    }

    private static void assertSamePersonAsOriginal(byte[] bytes) {
        Template t = pipeline.createTemplate(bytes, "variant");
        assertThat(t.isFailed()).as("variant enrolled").isFalse();
        assertThat(pipeline.similarity(t, reference)).isGreaterThan(pipeline.threshold());
    }

    private static double meanChannel(Image img, int c) {
        double s = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                s += img.sample(x, y, c);
            }
        }
        return s / (img.width() * img.height());
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, "png", out)).isTrue();
        return out.toByteArray();
    }

    static byte[] jpeg(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, "jpeg", out)).isTrue();
        return out.toByteArray();
    }

    /** PNG signature and a valid IHDR chunk for the given size, then IEND: a header with no pixels. */
    static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        b.putInt(13).put(ihdr.array()).putInt(crc(ihdr.array()));
        byte[] iend = "IEND".getBytes(StandardCharsets.US_ASCII);
        b.putInt(0).put(iend).putInt(crc(iend));
        return b.array();
    }

    private static int crc(byte[] bytes) {
        CRC32 c = new CRC32();
        c.update(bytes);
        return (int) c.getValue();
    }
}
