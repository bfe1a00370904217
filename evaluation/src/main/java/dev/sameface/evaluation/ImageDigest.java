package dev.sameface.evaluation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of an image file's bytes: the template store's key, so a renamed or copied photo is not enrolled twice. */
final class ImageDigest {
    private ImageDigest() {
    }

    static byte[] sha256(Path file) {
        MessageDigest md = newDigest();
        byte[] buf = new byte[64 * 1024];
        // A FIFO, device or folder would block or never end here: the same door as every input, before opening.
        dev.sameface.pipeline.image.InputFiles.checkedSize(file, dev.sameface.pipeline.image.InputFiles.maxBytes());
        try (InputStream in = Files.newInputStream(file)) {
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "image " + file + " does not exist", e);
        } catch (IOException e) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "cannot read image " + file + ": " + e.getMessage(), e);
        }
        return md.digest();
    }

    static byte[] sha256(byte[] bytes) {
        return newDigest().digest(bytes);
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "this JDK has no SHA-256", e);
        }
    }
}
