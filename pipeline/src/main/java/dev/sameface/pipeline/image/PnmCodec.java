package dev.sameface.pipeline.image;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.api.PixelFormat;

/**
 * Netpbm grey and colour maps: PGM (P5 binary, P2 plain text) to GRAY8 and PPM (P6, P3) to RGB8, the formats
 * NIST's FRVT harness hands its images over in. Any maxval from 1 to 65535 is read (two big-endian bytes a sample
 * above 255) and scaled to 0..255. The header is parsed in full and the size passed to {@code sizeCheck} before the
 * raster is allocated, so a 60000x60000 header in a 20-byte file costs nothing; a raster shorter than the header
 * promises is refused as truncated, never padded. ImageIO has no Netpbm reader, hence this small one. Decoding is
 * reached through {@link ImageDecoder}; {@link #encode} writes the binary forms (validation data sets, tests).
 */
public final class PnmCodec {
    /** Called with the header's width and height before any pixel memory is allocated; throws to refuse. */
    interface SizeCheck {
        void check(int width, int height);
    }

    private final byte[] b;
    private final String name;
    private int pos;

    private PnmCodec(byte[] bytes, String name) {
        this.b = bytes;
        this.name = name;
    }

    /** Whether the bytes start like a PGM or PPM ("P2", "P3", "P5" or "P6" then whitespace). */
    static boolean isPnm(byte[] b) {
        return b.length >= 3 && b[0] == 'P' && (b[1] == '2' || b[1] == '3' || b[1] == '5' || b[1] == '6') && isSpace(b[2]);
    }

    /** A binary PGM (GRAY8) or PPM (RGB8) of the image, maxval 255. */
    public static byte[] encode(Image image) {
        boolean grey = image.format() == PixelFormat.GRAY8;
        byte[] header = ((grey ? "P5" : "P6") + "\n" + image.width() + " " + image.height() + "\n255\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(header, header.length + image.pixels().length);
        System.arraycopy(image.pixels(), 0, out, header.length, image.pixels().length);
        return out;
    }

    static Image decode(byte[] bytes, String name, SizeCheck sizeCheck) {
        return new PnmCodec(bytes, name).read(sizeCheck);
    }

    private Image read(SizeCheck sizeCheck) {
        if (!isPnm(b)) {
            throw corrupt("not a PGM/PPM file (no P2, P3, P5 or P6 magic)");
        }
        char kind = (char) b[1];
        pos = 2;
        int width = headerNumber("width");
        int height = headerNumber("height");
        int maxval = headerNumber("maxval");
        if (width == 0 || height == 0) {
            throw corrupt("header says " + width + "x" + height + ", an empty image");
        }
        if (maxval == 0 || maxval > 65_535) {
            throw corrupt("maxval " + maxval + " is outside 1..65535");
        }
        sizeCheck.check(width, height);
        boolean colour = kind == '3' || kind == '6';
        int channels = colour ? 3 : 1;
        long samples = (long) width * height * channels;
        if (samples > Integer.MAX_VALUE - 16) {
            throw new FaceException(ErrorCode.IMAGE_SIZE_REFUSED, name + ": " + width + "x" + height + " is too large to decode");
        }
        boolean binary = kind == '5' || kind == '6';
        int bytesPerSample = maxval > 255 ? 2 : 1;
        if (binary) {
            // Exactly one whitespace byte separates the maxval from the raster (already consumed by headerNumber).
            long need = samples * bytesPerSample;
            if (b.length - pos < need) {
                throw corrupt("truncated: the raster needs " + need + " bytes, the file has " + (b.length - pos));
            }
        }
        byte[] px = new byte[(int) samples];
        if (binary && maxval == 255) {
            System.arraycopy(b, pos, px, 0, px.length);
        } else {
            for (int i = 0; i < px.length; i++) {
                int v;
                if (binary) {
                    v = bytesPerSample == 1 ? b[pos++] & 0xff : ((b[pos++] & 0xff) << 8) | (b[pos++] & 0xff);
                } else {
                    v = plainSample();
                }
                if (v > maxval) {
                    throw corrupt("sample " + v + " exceeds maxval " + maxval);
                }
                px[i] = (byte) ((v * 255 + maxval / 2) / maxval);
            }
        }
        return new Image(width, height, colour ? PixelFormat.RGB8 : PixelFormat.GRAY8, px);
    }

    /** A decimal header field after whitespace and '#' comments; consumes the single whitespace byte after it. */
    private int headerNumber(String field) {
        skipSpaceAndComments();
        int value = digits(field);
        if (pos >= b.length) {
            throw corrupt("truncated header after the " + field);
        }
        if (!isSpace(b[pos])) {
            throw corrupt("header " + field + " is followed by '" + (char) (b[pos] & 0xff) + "', not whitespace");
        }
        pos++;
        return value;
    }

    private int plainSample() {
        skipSpaceAndComments();
        return digits("sample");
    }

    private int digits(String field) {
        int start = pos;
        long v = 0;
        while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
            v = v * 10 + (b[pos] - '0');
            if (v > Integer.MAX_VALUE) {
                throw corrupt(field + " is too large a number");
            }
            pos++;
        }
        if (pos == start) {
            throw corrupt(pos >= b.length ? "truncated: no " + field : "expected the " + field + " as a decimal number");
        }
        return (int) v;
    }

    private void skipSpaceAndComments() {
        while (pos < b.length) {
            if (isSpace(b[pos])) {
                pos++;
            } else if (b[pos] == '#') {
                while (pos < b.length && b[pos] != '\n' && b[pos] != '\r') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c;
    }

    private FaceException corrupt(String why) {
        return new FaceException(ErrorCode.IMAGE_DECODE_ERROR, name + ": corrupt PGM/PPM, " + why);
    }
}
