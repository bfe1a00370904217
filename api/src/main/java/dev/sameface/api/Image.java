package dev.sameface.api;

import java.util.Objects;

/**
 * A decoded image: RGB8 or GRAY8 pixels, interleaved, EXIF orientation already applied.
 * The array is owned by the image; callers must not change it after construction.
 */
public record Image(int width, int height, PixelFormat format, byte[] pixels) {
    public Image {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(pixels, "pixels");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        long expected = (long) width * height * format.channels();
        if (pixels.length != expected) {
            throw new IllegalArgumentException(
                    "pixel buffer holds " + pixels.length + " bytes, " + width + "x" + height + " " + format + " needs " + expected);
        }
    }

    /** Channel {@code c} of pixel (x, y) as 0..255; a GRAY8 image answers its one channel for any c. */
    public int sample(int x, int y, int c) {
        int ch = format.channels();
        return pixels[(y * width + x) * ch + (ch == 1 ? 0 : c)] & 0xff;
    }

    /** The same picture as RGB8 (grey replicated), or this image if it already is. */
    public Image toRgb() {
        if (format == PixelFormat.RGB8) {
            return this;
        }
        byte[] rgb = new byte[width * height * 3];
        for (int i = 0, n = width * height; i < n; i++) {
            byte v = pixels[i];
            rgb[3 * i] = v;
            rgb[3 * i + 1] = v;
            rgb[3 * i + 2] = v;
        }
        return new Image(width, height, PixelFormat.RGB8, rgb);
    }

    /** The image mirrored left to right. */
    public Image mirrored() {
        int ch = format.channels();
        byte[] out = new byte[pixels.length];
        for (int y = 0; y < height; y++) {
            int row = y * width * ch;
            for (int x = 0; x < width; x++) {
                System.arraycopy(pixels, row + x * ch, out, row + (width - 1 - x) * ch, ch);
            }
        }
        return new Image(width, height, format, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Image i && i.width == width && i.height == height && i.format == format
                && java.util.Arrays.equals(i.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, format, java.util.Arrays.hashCode(pixels));
    }

    @Override
    public String toString() {
        return "Image[" + width + "x" + height + " " + format + "]";
    }
}
