package dev.sameface.evaluation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.SamefaceHome;
import dev.sameface.api.Template;
import dev.sameface.api.TemplateCodec;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Templates on disk, keyed by (SHA-256 of the image bytes, pipeline identity): one append-only file per identity
 * ({@code PipelineIdentity#canonicalText()}, never display text), so each image is enrolled once per pipeline and
 * every later run (another matcher, threshold or impostor sample, a new {@code bench-models} measurement) reads
 * instead of computing.
 * <pre>
 * header: "SFTS" | u16 version | u16 identity length | identity UTF-8 | u32 CRC-32 of the header
 * record: u32 payload length | 32-byte image SHA-256 | payload (TemplateCodec bytes) | u32 CRC-32 of the record
 * </pre>
 * Little-endian. A record is only trusted whole: on open, reading stops at the first short or corrupt record
 * (what a killed run leaves) and the file is cut back to the last good one, so an interrupted run resumes.
 * One process at a time: the file is locked while open. Not thread-safe: {@link Enrolment}'s workers hand their
 * templates to one writer thread, the only one that uses the store while they run. Version 1 stores (keyed by an
 * earlier sameface's fingerprint and description text, which changed with every bench-models run) are never read
 * as if they matched: {@link #earlierStores} counts them so the run says how many records it does not reuse.
 */
public final class TemplateStore implements AutoCloseable {
    private static final byte[] MAGIC = {'S', 'F', 'T', 'S'};
    /** 2: keyed by the canonical pipeline identity; 1 was keyed by fingerprint + describe() text. */
    private static final int VERSION = 2;
    private static final int MAX_PAYLOAD = 1 << 24;

    private final Path file;
    private final String identity;
    private final Map<String, Template> templates = new HashMap<>();
    private final long droppedBytes;
    private FileChannel channel;
    private FileLock lock;
    private int appended;

    private TemplateStore(Path file, String identity, FileChannel channel, FileLock lock, long droppedBytes) {
        this.file = file;
        this.identity = identity;
        this.channel = channel;
        this.lock = lock;
        this.droppedBytes = droppedBytes;
    }

    /** {@code $SAMEFACE_HOME/templates}. */
    public static Path defaultDirectory() {
        return SamefaceHome.resolve().resolve("templates");
    }

    /** The file that holds the templates of one identity inside {@code dir}. */
    public static Path fileFor(Path dir, String identity) {
        String h = ImageDigest.hex(ImageDigest.sha256(identity.getBytes(StandardCharsets.UTF_8)));
        return dir.resolve("templates-" + h.substring(0, 20) + ".sfts");
    }

    /**
     * Opens (creating if needed) the store of {@code identity} in {@code dir}, reading what earlier runs wrote.
     *
     * @throws FaceException IO_ERROR when the folder cannot be written or another process has the store open
     */
    public static TemplateStore open(Path dir, String identity) {
        Path file = fileFor(dir, identity);
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new FaceException(ErrorCode.IO_ERROR, "template store " + file + " is in use by another run");
            }
            TemplateStore store;
            long size = ch.size();
            if (size == 0) {
                store = new TemplateStore(file, identity, ch, lock, 0);
                store.writeFully(header(identity));
            } else {
                store = load(file, identity, ch, lock, size);
            }
            return store;
        } catch (IOException e) {
            FaceException failure = new FaceException(ErrorCode.IO_ERROR, "cannot open template store " + file + ": " + e.getMessage(), e);
            closeAfterFailure(ch, failure);
            throw failure;
        } catch (RuntimeException e) {
            closeAfterFailure(ch, e);
            throw e;
        }
    }

    private static TemplateStore load(Path file, String identity, FileChannel ch, FileLock lock, long size) throws IOException {
        byte[] expectedHeader = header(identity);
        Map<String, Template> read = new HashMap<>();
        long good;
        // The channel is positioned by reads through a stream that must not close it, so read via a fresh stream.
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            byte[] head = new byte[expectedHeader.length];
            boolean headerOk;
            try {
                in.readFully(head);
                headerOk = java.util.Arrays.equals(head, expectedHeader);
            } catch (EOFException e) {
                headerOk = false;
            }
            if (!headerOk) {
                if (size >= expectedHeader.length && startsWithMagic(file)) {
                    throw new FaceException(ErrorCode.IO_ERROR, "template store " + file
                            + " does not belong to this pipeline identity or is damaged; delete it to start afresh");
                }
                // A run killed while writing the header: nothing to keep.
                ch.truncate(0);
                ch.position(0);
                TemplateStore store = new TemplateStore(file, identity, ch, lock, size);
                store.writeFully(expectedHeader);
                return store;
            }
            good = readRecords(in, size, expectedHeader.length, (digest, t) -> read.put(ImageDigest.hex(digest), t));
        }
        if (good < size) {
            ch.truncate(good);
        }
        ch.position(good);
        TemplateStore store = new TemplateStore(file, identity, ch, lock, size - good);
        store.templates.putAll(read);
        return store;
    }

    /** Template stores in a folder that an earlier sameface wrote (another store version), and their records. */
    public record EarlierStores(int files, long records) {
        /** One line for the terminal and the report; empty when there are none. */
        public String message(Path dir) {
            return files == 0 ? "" : String.format(java.util.Locale.ROOT,
                    "%d template store(s) in %s made by an earlier sameface, %,d records not reused (keyed by display text, "
                            + "not the pipeline identity); delete the templates-*.sfts files of version 1 to reclaim the space",
                    files, dir, records);
        }
    }

    /** Counts the stores in {@code dir} whose version is not this one, and their whole records. */
    public static EarlierStores earlierStores(Path dir) {
        if (!Files.isDirectory(dir)) {
            return new EarlierStores(0, 0);
        }
        int files = 0;
        long records = 0;
        try (var list = Files.newDirectoryStream(dir, "templates-*.sfts")) {
            for (Path f : list) {
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16))) {
                    byte[] magic = in.readNBytes(4);
                    if (!java.util.Arrays.equals(magic, MAGIC)) {
                        continue;
                    }
                    byte[] fixed = in.readNBytes(4);
                    if (fixed.length < 4) {
                        continue;
                    }
                    ByteBuffer b = ByteBuffer.wrap(fixed).order(ByteOrder.LITTLE_ENDIAN);
                    int version = Short.toUnsignedInt(b.getShort());
                    int keyLength = Short.toUnsignedInt(b.getShort());
                    if (version == VERSION || in.skipBytes(keyLength + 4) < keyLength + 4) {
                        continue;
                    }
                    files++;
                    long[] counted = {0};
                    readRecords(in, Files.size(f), 4 + 4 + keyLength + 4, (digest, t) -> counted[0]++);
                    records += counted[0];
                }
            }
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot list template stores in " + dir + ": " + e.getMessage(), e);
        }
        return new EarlierStores(files, records);
    }

    /**
     * Reads whole records after a header of {@code headerLength} bytes, handing each to {@code sink}; stops at the
     * first short or corrupt one. Returns the offset just after the last whole record.
     */
    private static long readRecords(DataInputStream in, long size, long headerLength,
                                    java.util.function.BiConsumer<byte[], Template> sink) throws IOException {
        long good = headerLength;
        byte[] lenBytes = new byte[4];
        while (true) {
            int n = in.readNBytes(lenBytes, 0, 4);
            if (n < 4) {
                break;
            }
            int len = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (len <= 0 || len > MAX_PAYLOAD || good + 4 + 32 + len + 4 > size) {
                break;
            }
            byte[] rest = new byte[32 + len + 4];
            if (in.readNBytes(rest, 0, rest.length) < rest.length) {
                break;
            }
            CRC32 crc = new CRC32();
            crc.update(lenBytes);
            crc.update(rest, 0, 32 + len);
            int stored = ByteBuffer.wrap(rest, 32 + len, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (stored != (int) crc.getValue()) {
                break;
            }
            Template t;
            try {
                t = TemplateCodec.decode(java.util.Arrays.copyOfRange(rest, 32, 32 + len));
            } catch (FaceException e) {
                break;
            }
            sink.accept(java.util.Arrays.copyOf(rest, 32), t);
            good += 4 + 32 + len + 4;
        }
        return good;
    }

    private static boolean startsWithMagic(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(4), MAGIC);
        }
    }

    private static byte[] header(String identity) {
        byte[] fp = identity.getBytes(StandardCharsets.UTF_8);
        if (fp.length > 0xFFFF) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "pipeline identity is too long (" + fp.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.allocate(4 + 2 + 2 + fp.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) VERSION).putShort((short) fp.length).put(fp);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** The template stored for an image's SHA-256 (see {@link #digest(Path)}), or {@code null}. */
    public Template get(byte[] imageSha256) {
        ensureOpen();
        return templates.get(ImageDigest.hex(imageSha256));
    }

    /** Appends a template; it is on disk (in the OS's hands) when this returns. */
    public void put(byte[] imageSha256, Template template) {
        ensureOpen();
        if (imageSha256.length != 32) {
            throw new IllegalArgumentException("expected a 32-byte SHA-256");
        }
        byte[] payload = TemplateCodec.encode(template);
        ByteBuffer b = ByteBuffer.allocate(4 + 32 + payload.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(payload.length).put(imageSha256).put(payload);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        try {
            writeFully(b.array());
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot append to template store " + file + ": " + e.getMessage(), e);
        }
        templates.put(ImageDigest.hex(imageSha256), template);
        appended++;
    }

    /** SHA-256 of an image file's bytes, the key of {@link #get}/{@link #put}. */
    public static byte[] digest(Path image) {
        return ImageDigest.sha256(image);
    }

    private void writeFully(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    public int size() {
        ensureOpen();
        return templates.size();
    }

    /** Records written by this instance. */
    public int appended() {
        return appended;
    }

    /** Bytes of torn or corrupt records cut off when the store was opened (0 after a clean run). */
    public long droppedBytes() {
        return droppedBytes;
    }

    public Path file() {
        return file;
    }

    /** The pipeline identity (canonical text) this store's templates were made by. */
    public String identity() {
        return identity;
    }

    private void ensureOpen() {
        if (channel == null) {
            throw new IllegalStateException("template store " + file + " is closed");
        }
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        FileChannel ch = channel;
        channel = null;
        try (FileChannel c = ch) {
            c.force(true);
            lock.release();
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot close template store " + file + ": " + e.getMessage(), e);
        }
    }

    /** Closes a channel while another error is on its way out; a failure to close is attached to that error. */
    private static void closeAfterFailure(FileChannel ch, Throwable primary) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}
