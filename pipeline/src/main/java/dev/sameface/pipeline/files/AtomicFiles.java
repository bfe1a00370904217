package dev.sameface.pipeline.files;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way sameface writes a file a user or another process may read: the bytes go to a fresh temporary file
 * in the target's folder ({@link Files#createTempFile}: an unpredictable name, created exclusively, so a symlink
 * planted at a guessable name like {@code out.sft.tmp} is never followed), then a rename ({@code ATOMIC_MOVE})
 * puts it in place. A reader sees the old file or the new one, never half; a symlink at the target itself is
 * replaced, not written through.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes through a stream, for writers (Jackson, image encoders) that want one. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    public static void writeString(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Creates missing parent folders, writes, forces the bytes to disk and renames into place.
     *
     * @throws FaceException IO_ERROR naming the target when any step fails; the temporary file is removed
     */
    public static void write(Path target, Writer writer) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            // The prefix keeps the name recognisable (".out.sft.") while the random middle makes it unguessable.
            tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                writer.writeTo(out);
                out.flush();
                channel.force(true);
            }
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            RuntimeException failure = e instanceof RuntimeException r ? r
                    : new FaceException(ErrorCode.IO_ERROR, "cannot write " + target + ": " + e.getMessage(), e);
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException cleanup) {
                    failure.addSuppressed(cleanup);
                }
            }
            throw failure;
        }
    }
}
