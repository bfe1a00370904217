package dev.sameface.pipeline.image;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.MetadataException;
import com.drew.metadata.exif.ExifIFD0Directory;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.api.PixelFormat;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Bytes to {@link Image}: any format ImageIO reads (JPEG through TwelveMonkeys, which also handles CMYK/YCCK and
 * broken-but-common JPEGs; PNG incl. 16-bit, grey and alpha; BMP, GIF), EXIF orientation applied. The size is read
 * from the header and refused before any pixel is decoded, so a 20000x20000 "decompression bomb" costs nothing.
 *
 * <p>JPEGs go first to libjpeg-turbo ({@link TurboJpeg}, when Debian's libturbojpeg0 is installed): RGB, YCbCr and
 * grey files it decodes without a warning are done there, about five times faster; anything it refuses (CMYK/YCCK,
 * a header it cannot read, any warning such as truncation) is decoded by ImageIO exactly as before, so what is
 * accepted or refused does not depend on the library being there. EXIF is parsed only when an Exif APP1 segment exists.
 */
public final class ImageDecoder {
    /**
     * Default limits: 16384 px per side, 64 megapixels, 16 px minimum side (no face fits in less), and 256 MiB for
     * the decoded raster as the header describes it (width x height x channels x bytes per sample): pixel count
     * alone let a 504 KB 16000x4000 16-bit RGBA PNG cost 1.3 GB.
     */
    public static final long MAX_DECODED_BYTES = 256L << 20;

    public static final ImageDecoder DEFAULT = new ImageDecoder(16_384, 64_000_000L, 16);

    private final int maxSide;
    private final long maxPixels;
    private final int minSide;
    private final boolean turboJpeg;

    public ImageDecoder(int maxSide, long maxPixels, int minSide) {
        this(maxSide, maxPixels, minSide, true);
    }

    private ImageDecoder(int maxSide, long maxPixels, int minSide, boolean turboJpeg) {
        this.maxSide = maxSide;
        this.maxPixels = maxPixels;
        this.minSide = minSide;
        this.turboJpeg = turboJpeg;
    }

    /** The same limits, every format through ImageIO: the reference for the fast path, and for benchmarks. */
    public ImageDecoder imageIoOnly() {
        return new ImageDecoder(maxSide, maxPixels, minSide, false);
    }

    /** Whether JPEGs are decoded by libjpeg-turbo (the library loaded and this decoder uses it). */
    public boolean usesTurboJpeg() {
        return turboJpeg && TurboJpeg.available();
    }

    static {
        // Registers TwelveMonkeys' readers ahead of the JDK's where both exist.
        ImageIO.scanForPlugins();
        ImageIO.setUseCache(false);
    }

    public Image decode(Path file) {
        return decode(read(file), file.toString());
    }

    /** Reads an input file through {@link InputFiles}: a regular file within the input size cap, or a typed error. */
    public static byte[] read(Path file) {
        return InputFiles.read(file);
    }

    /** Decodes {@code bytes}; {@code name} only labels error messages. */
    public Image decode(byte[] bytes, String name) {
        if (bytes.length == 0) {
            throw new FaceException(ErrorCode.IMAGE_DECODE_ERROR, name + ": empty file, not an image");
        }
        if (PnmCodec.isPnm(bytes)) {
            return PnmCodec.decode(bytes, name, (w, h) -> checkSize(name, w, h)); // NIST FRVT's PGM/PPM
        }
        if (turboJpeg && isJpeg(bytes) && TurboJpeg.instance().isPresent()) {
            TurboJpeg.Result r;
            try {
                r = TurboJpeg.instance().get().decode(bytes, (w, h) -> checkSize(name, w, h));
            } catch (OutOfMemoryError e) {
                throw new FaceException(ErrorCode.IMAGE_SIZE_REFUSED, name + ": image too large to decode in this heap", e);
            }
            if (r instanceof TurboJpeg.Decoded d) {
                Image img = new Image(d.width(), d.height(), d.grey() ? PixelFormat.GRAY8 : PixelFormat.RGB8, d.pixels());
                return orient(img, orientation(bytes));
            }
            // Refused: ImageIO decides, with today's rules (it reads CMYK and tolerates what it always tolerated).
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new FaceException(ErrorCode.IMAGE_DECODE_ERROR, name + ": not an image in a format sameface reads (JPEG, PNG, BMP, GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                checkSize(name, w, h);
                checkDecodedBytes(name, w, h, reader);
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage img = reader.read(0);
                for (String warning : warnings) {
                    String lower = warning.toLowerCase(java.util.Locale.ROOT);
                    if (lower.contains("premature") || lower.contains("truncat") || lower.contains("end of")) {
                        throw new FaceException(ErrorCode.IMAGE_DECODE_ERROR, name + ": truncated image (" + warning + ")");
                    }
                }
                return orient(toImage(img), orientation(bytes));
            } finally {
                reader.dispose();
            }
        } catch (FaceException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO reports corrupt data as IIOException, EOFException, or unchecked exceptions from codecs.
            throw new FaceException(ErrorCode.IMAGE_DECODE_ERROR, name + ": corrupt or truncated image (" + describe(e) + ")", e);
        } catch (OutOfMemoryError e) {
            throw new FaceException(ErrorCode.IMAGE_SIZE_REFUSED, name + ": image too large to decode in this heap", e);
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private void checkSize(String name, int w, int h) {
        if (w > maxSide || h > maxSide || (long) w * h > maxPixels) {
            throw new FaceException(ErrorCode.IMAGE_SIZE_REFUSED, name + ": " + w + "x" + h + " is larger than the limit ("
                    + maxSide + " px a side, " + maxPixels / 1_000_000 + " megapixels); downscale it first");
        }
        if (w < minSide || h < minSide) {
            throw new FaceException(ErrorCode.IMAGE_SIZE_REFUSED, name + ": " + w + "x" + h + " is too small to hold a face (minimum "
                    + minSide + " px a side)");
        }
    }

    /** Refuses a raster whose bytes, from the header's sample layout, exceed {@link #MAX_DECODED_BYTES}. */
    private static void checkDecodedBytes(String name, int w, int h, ImageReader reader) throws IOException {
        javax.imageio.ImageTypeSpecifier type = reader.getRawImageType(0);
        if (type == null) {
            Iterator<javax.imageio.ImageTypeSpecifier> types = reader.getImageTypes(0);
            type = types.hasNext() ? types.next() : null;
        }
        if (type == null) {
            return; // No layout to bound: the pixel-count limit above still holds.
        }
        var sampleModel = type.getSampleModel(1, 1);
        int bands = sampleModel.getNumBands();
        int bytesPerSample = Math.max(1, java.awt.image.DataBuffer.getDataTypeSize(sampleModel.getDataType()) / 8);
        long bytes = (long) w * h * bands * bytesPerSample;
        if (bytes > MAX_DECODED_BYTES) {
            throw new FaceException(ErrorCode.IMAGE_SIZE_REFUSED, name + ": " + w + "x" + h + " with " + bands + " channel(s) of "
                    + 8 * bytesPerSample + " bits decodes to " + bytes / (1 << 20) + " MiB, more than the limit of "
                    + MAX_DECODED_BYTES / (1 << 20) + " MiB; downscale it first");
        }
    }

    /** Any colour model to RGB8 (or GRAY8 for single-channel grey), compositing transparency onto white. */
    static Image toImage(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        boolean grey = src.getColorModel().getNumComponents() == 1 && src.getType() != BufferedImage.TYPE_BYTE_BINARY
                && src.getType() != BufferedImage.TYPE_BYTE_INDEXED;
        if (grey) {
            BufferedImage g = src.getType() == BufferedImage.TYPE_BYTE_GRAY ? src : convert(src, BufferedImage.TYPE_BYTE_GRAY);
            byte[] px = ((DataBufferByte) g.getRaster().getDataBuffer()).getData();
            return new Image(w, h, PixelFormat.GRAY8, px.length == w * h ? px.clone() : copyGrey(g));
        }
        BufferedImage bgr = src.getType() == BufferedImage.TYPE_3BYTE_BGR ? src : convert(src, BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = data[i + 2];
            rgb[i + 1] = data[i + 1];
            rgb[i + 2] = data[i];
        }
        return new Image(w, h, PixelFormat.RGB8, rgb);
    }

    private static byte[] copyGrey(BufferedImage g) {
        byte[] out = new byte[g.getWidth() * g.getHeight()];
        g.getRaster().getDataElements(0, 0, g.getWidth(), g.getHeight(), out);
        return out;
    }

    private static BufferedImage convert(BufferedImage src, int type) {
        BufferedImage dst = new BufferedImage(src.getWidth(), src.getHeight(), type);
        Graphics2D g = dst.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, src.getWidth(), src.getHeight());
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return dst;
    }

    static boolean isJpeg(byte[] b) {
        return b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF;
    }

    /**
     * Whether a JPEG has an APP1 segment starting "Exif": the only place its orientation can be. Walks the marker
     * segments up to the first scan, so most JPEGs (LFW's have none) skip the metadata parser, which costs more than
     * decoding a small photo.
     */
    static boolean jpegHasExif(byte[] b) {
        int i = 2;
        while (i + 4 <= b.length && (b[i] & 0xff) == 0xFF) {
            int marker = b[i + 1] & 0xff;
            if (marker == 0xDA || marker == 0xD9) {
                return false;
            }
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            int len = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
            if (marker == 0xE1 && len >= 8 && i + 10 <= b.length && b[i + 4] == 'E' && b[i + 5] == 'x' && b[i + 6] == 'i'
                    && b[i + 7] == 'f' && b[i + 8] == 0 && b[i + 9] == 0) {
                return true;
            }
            i += 2 + len;
        }
        // A malformed segment walk: let the parser look, as before.
        return i < b.length;
    }

    /** EXIF orientation 1..8, or 1 when absent or unreadable (a missing tag is normal, not an error). */
    static int orientation(byte[] bytes) {
        if (isJpeg(bytes) && !jpegHasExif(bytes)) {
            return 1;
        }
        try {
            var metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes));
            var dir = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (dir != null && dir.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                int o = dir.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                return o >= 1 && o <= 8 ? o : 1;
            }
            return 1;
        } catch (ImageProcessingException | IOException | MetadataException | RuntimeException e) {
            return 1;
        }
    }

    /** Applies an EXIF orientation so that the image is upright. */
    static Image orient(Image img, int orientation) {
        if (orientation == 1) {
            return img;
        }
        int w = img.width();
        int h = img.height();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        int ch = img.format().channels();
        byte[] src = img.pixels();
        byte[] out = new byte[src.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                // (x, y) in the output comes from (sx, sy) in the stored image.
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    case 8 -> { sx = w - 1 - y; sy = x; }
                    default -> throw new IllegalStateException("orientation " + orientation);
                }
                System.arraycopy(src, (sy * w + sx) * ch, out, (y * ow + x) * ch, ch);
            }
        }
        return new Image(ow, oh, img.format(), out);
    }
}
