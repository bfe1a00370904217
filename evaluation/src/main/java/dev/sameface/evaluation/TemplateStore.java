package dev.sameface.evaluation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.SamefaceHome;
import dev.sameface.api.Template;
import dev.sameface.api.TemplateCodec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * Little-endian. A record is only trusted whole (length in range, CRC-32 matches, payload decodes). On open, a
 * damaged record (a torn tail from a killed run, a flipped byte) is skipped by scanning forward to the next record
 * that checks out, so every intact record is kept; when anything was damaged, the intact records are written to a
 * new file that replaces the store in one atomic rename (intact data is never truncated in place).
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
    private final int lostRecords;
    private FileChannel channel;
    private FileLock lock;
    private int appended;

    private TemplateStore(Path file, String identity, FileChannel channel, FileLock lock, long droppedBytes, int lostRecords) {
        this.lostRecords = lostRecords;
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
                store = new TemplateStore(file, identity, ch, lock, 0, 0);
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
        if (size > Integer.MAX_VALUE - 16) {
            throw new FaceException(ErrorCode.IO_ERROR, "template store " + file + " is larger than 2 GB; split the run");
        }
        byte[] all = new byte[(int) size];
        ByteBuffer whole = ByteBuffer.wrap(all);
        while (whole.hasRemaining() && ch.read(whole, whole.position()) >= 0) {
            // FileChannel.read at an explicit position: the channel's own position stays where the caller needs it.
        }
        boolean headerOk = size >= expectedHeader.length
                && java.util.Arrays.equals(all, 0, expectedHeader.length, expectedHeader, 0, expectedHeader.length);
        if (!headerOk) {
            if (size >= MAGIC.length && java.util.Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                    && size >= expectedHeader.length) {
                throw new FaceException(ErrorCode.IO_ERROR, "template store " + file
                        + " does not belong to this pipeline identity or is damaged; delete it to start afresh");
            }
            // A run killed while writing the header: nothing to keep.
            ch.truncate(0);
            ch.position(0);
            TemplateStore store = new TemplateStore(file, identity, ch, lock, size, 0);
            store.writeFully(expectedHeader);
            return store;
        }
        Scan scan = scan(all, expectedHeader.length);
        if (scan.damagedBytes() == 0) {
            ch.position(size);
            TemplateStore store = new TemplateStore(file, identity, ch, lock, 0, 0);
            store.templates.putAll(scan.templates());
            return store;
        }
        // Damage: the intact records are copied to a new file which replaces the store in one rename, so intact
        // data is never cut away and a crash during repair leaves the old file as it was. The new file is locked
        // before the rename (the lock belongs to the file, which keeps it through the rename), so no other run can
        // slip in between.
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName() + ".", ".repair");
        FileChannel repaired = null;
        try {
            repaired = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock repairedLock = repaired.tryLock();
            if (repairedLock == null) {
                throw new IOException("cannot lock " + tmp);
            }
            ByteBuffer out = ByteBuffer.wrap(all, 0, expectedHeader.length);
            while (out.hasRemaining()) {
                repaired.write(out);
            }
            for (long[] range : scan.records()) {
                ByteBuffer r = ByteBuffer.wrap(all, (int) range[0], (int) range[1]);
                while (r.hasRemaining()) {
                    repaired.write(r);
                }
            }
            repaired.force(true);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            lock.release();
            ch.close();
            TemplateStore store = new TemplateStore(file, identity, repaired, repairedLock, scan.damagedBytes(), scan.lostRecords());
            store.templates.putAll(scan.templates());
            return store;
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(repaired, e);
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
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
                byte[] all = Files.readAllBytes(f);
                if (all.length < 8 || !java.util.Arrays.equals(all, 0, 4, MAGIC, 0, 4)) {
                    continue;
                }
                ByteBuffer b = ByteBuffer.wrap(all, 4, 4).order(ByteOrder.LITTLE_ENDIAN);
                int version = Short.toUnsignedInt(b.getShort());
                int keyLength = Short.toUnsignedInt(b.getShort());
                int headerLength = 4 + 4 + keyLength + 4;
                if (version == VERSION || all.length < headerLength) {
                    continue;
                }
                files++;
                records += scan(all, headerLength).records().size();
            }
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot list template stores in " + dir + ": " + e.getMessage(), e);
        }
        return new EarlierStores(files, records);
    }

    /**
     * What a scan of the records found: intact records (offset, length) in file order, their templates, the bytes
     * that belong to no intact record and how many records those bytes most likely held.
     */
    private record Scan(java.util.List<long[]> records, Map<String, Template> templates, long damagedBytes, int lostRecords) {
    }

    /**
     * Reads records from {@code start}; where one is damaged (bad length, checksum or payload), moves forward a byte
     * at a time until a whole record checks out again (length in range, CRC-32 over length, key and payload matches,
     * payload decodes), so one bad byte costs one record, not every record after it. A damaged run of bytes counts
     * as the number of typical-sized records it spans (records of one pipeline share a size; at least one).
     */
    private static Scan scan(byte[] all, int start) {
        java.util.List<long[]> records = new java.util.ArrayList<>();
        Map<String, Template> read = new HashMap<>();
        java.util.List<Integer> gaps = new java.util.ArrayList<>();
        Map<Integer, Integer> sizes = new HashMap<>();
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int pos = start;
        int gapStart = -1;
        while (pos < all.length) {
            int recordLength = recordAt(all, b, pos, read);
            if (recordLength > 0) {
                if (gapStart >= 0) {
                    gaps.add(pos - gapStart);
                    gapStart = -1;
                }
                records.add(new long[]{pos, recordLength});
                sizes.merge(recordLength, 1, Integer::sum);
                pos += recordLength;
            } else {
                if (gapStart < 0) {
                    gapStart = pos;
                }
                pos++;
            }
        }
        if (gapStart >= 0) {
            gaps.add(all.length - gapStart);
        }
        int typical = sizes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0);
        long damaged = 0;
        int lost = 0;
        for (int gap : gaps) {
            damaged += gap;
            lost += typical == 0 ? 1 : Math.max(1, Math.round((float) gap / typical));
        }
        return new Scan(records, read, damaged, lost);
    }

    /** The length of the intact record at {@code pos} (its template added to {@code read}), or 0 if there is none. */
    private static int recordAt(byte[] all, ByteBuffer b, int pos, Map<String, Template> read) {
        if (pos + 4 + 32 + 4 > all.length) {
            return 0;
        }
        int len = b.getInt(pos);
        if (len <= 0 || len > MAX_PAYLOAD || (long) pos + 4 + 32 + len + 4 > all.length) {
            return 0;
        }
        CRC32 crc = new CRC32();
        crc.update(all, pos, 4 + 32 + len);
        if (b.getInt(pos + 4 + 32 + len) != (int) crc.getValue()) {
            return 0;
        }
        Template t;
        try {
            t = TemplateCodec.decode(java.util.Arrays.copyOfRange(all, pos + 4 + 32, pos + 4 + 32 + len));
        } catch (FaceException e) {
            // A checksum that matches over bytes that are no template: not a record boundary after all.
            return 0;
        }
        read.put(ImageDigest.hex(java.util.Arrays.copyOfRange(all, pos + 4, pos + 4 + 32)), t);
        return 4 + 32 + len + 4;
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

    /**
     * Records lost to damage found when the store was opened (torn by a killed run, or corrupt): their images are
     * enrolled again. Counted as the damaged bytes over the store's usual record size, at least one per damaged run.
     */
    public int lostRecords() {
        return lostRecords;
    }

    /** Bytes of torn or corrupt records left out when the store was opened (0 after a clean run). */
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
