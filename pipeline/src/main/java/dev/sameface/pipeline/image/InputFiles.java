package dev.sameface.pipeline.image;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one door every input file (photo or template) comes through: it must be a regular file (a FIFO blocks
 * forever, a device such as {@code /dev/zero} never ends, a folder is a typo) and no larger than the input cap,
 * both checked from the file's attributes before a byte is read. The cap defaults to 64 MiB, far above any real
 * photo (LFW's are 15 KB, a 50-megapixel JPEG about 25 MB); {@code SAMEFACE_MAX_INPUT_BYTES} changes it.
 */
public final class InputFiles {
    /** Default cap on an input file's size. */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;
    /** The environment variable that overrides {@link #DEFAULT_MAX_BYTES} (a positive number of bytes). */
    public static final String MAX_BYTES_VARIABLE = "SAMEFACE_MAX_INPUT_BYTES";

    private InputFiles() {
    }

    /** The cap in force: {@value #MAX_BYTES_VARIABLE} when set, else {@link #DEFAULT_MAX_BYTES}. */
    public static long maxBytes() {
        String v = System.getenv(MAX_BYTES_VARIABLE);
        if (v == null || v.isBlank()) {
            return DEFAULT_MAX_BYTES;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n > 0 && n < Integer.MAX_VALUE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Reported below with the allowed range, like every configuration error.
        }
        throw new FaceException(ErrorCode.CONFIG_ERROR, MAX_BYTES_VARIABLE + "=" + v + " is not allowed: a number of bytes in 1.."
                + (Integer.MAX_VALUE - 1));
    }

    /** Reads a whole input file with the cap in force. */
    public static byte[] read(Path file) {
        return read(file, maxBytes());
    }

    /**
     * Reads a whole input file after checking that it is a regular file of at most {@code maxBytes}.
     *
     * @throws FaceException INPUT_LOCATION_ERROR (missing, unreadable, not a regular file), IMAGE_SIZE_REFUSED
     *                       (larger than the cap)
     */
    public static byte[] read(Path file, long maxBytes) {
        long size = checkedSize(file, maxBytes);
        try (InputStream in = Files.newInputStream(file)) {
            // Never more than the cap, even if the file grew since its size was read.
            byte[] bytes = in.readNBytes((int) Math.min(Math.max(size, 0) + 1, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw tooLarge(file, bytes.length, maxBytes);
            }
            return bytes;
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * Checks that {@code file} is a regular file within the cap, without opening it.
     *
     * @return its size in bytes
     */
    public static long checkedSize(Path file, long maxBytes) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        if (attrs.isDirectory()) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "a folder, not a file: " + file);
        }
        if (!attrs.isRegularFile()) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "not a regular file (a FIFO, device or socket): " + file);
        }
        if (attrs.size() > maxBytes) {
            throw tooLarge(file, attrs.size(), maxBytes);
        }
        return attrs.size();
    }

    private static FaceException tooLarge(Path file, long size, long maxBytes) {
        return new FaceException(ErrorCode.IMAGE_SIZE_REFUSED, file + ": " + size + " bytes is larger than the input limit of "
                + maxBytes + " bytes (set " + MAX_BYTES_VARIABLE + " to change it)");
    }

    private static FaceException unreadable(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "no such file: " + file, e);
        }
        if (e instanceof AccessDeniedException) {
            return new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "cannot read " + file + ": permission denied", e);
        }
        return new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
    }
}
