package dev.sameface.openvino.binding;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Checks an OpenVINO runtime folder before any of its native libraries is loaded: a truncated shared library is
 * mapped by the dynamic loader and kills the JVM with SIGBUS on first touch, which no Java code can catch.
 *
 * <p>Two checks. (1) When the folder has the file list that {@code models fetch} writes at install
 * ({@value #LIST}: one line {@code <sha256> <size> <mtime-millis> <name>} per file), every listed file must exist
 * with its size; a file whose size or modification time differs from the list is hashed and must match its sha256.
 * Unchanged files are not re-hashed, so a check costs one {@code stat} per file (hashing all 165 MB on every start
 * would cost a few hundred ms). (2) Always, listed or not (a system install named by {@code SAMEFACE_OPENVINO_LIB}
 * has no list): every {@code lib*.so*} must be an ELF file at least as long as its header says, the end of its
 * section header table, which is where a truncation shows first.
 */
public final class RuntimeFiles {
    /** The file list's name inside the runtime folder; written by the pipeline's fetcher. */
    public static final String LIST = ".files.sha256";

    /** Files already hashed and found good in this process, so a second load does not hash again. */
    private static final Set<String> HASHED = ConcurrentHashMap.newKeySet();

    private RuntimeFiles() {
    }

    /**
     * @throws FaceException ENGINE_UNAVAILABLE naming the first damaged file and the command that repairs it
     */
    public static void verify(Path dir) {
        Path list = dir.resolve(LIST);
        if (Files.isRegularFile(list)) {
            verifyList(dir, list);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("lib") && p.getFileName().toString().contains(".so"))
                    .sorted().toList()) {
                checkElf(f);
            }
        } catch (IOException e) {
            throw damaged(dir, "cannot list it (" + e.getMessage() + ")");
        }
    }

    private static void verifyList(Path dir, Path list) {
        List<String> lines;
        try {
            lines = Files.readAllLines(list);
        } catch (IOException e) {
            throw damaged(dir, "cannot read " + LIST + " (" + e.getMessage() + ")");
        }
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.strip().split(" ", 4);
            Path file = f.length == 4 ? dir.resolve(f[3]).normalize() : dir;
            if (f.length != 4 || f[0].length() != 64 || !file.startsWith(dir) || file.equals(dir)) {
                throw damaged(dir, LIST + " has a malformed line: " + line);
            }
            long size;
            long mtime;
            try {
                size = Files.size(file);
                mtime = Files.getLastModifiedTime(file).toMillis();
            } catch (IOException e) {
                throw damaged(dir, f[3] + " is missing");
            }
            if (size != Long.parseLong(f[1])) {
                throw damaged(dir, f[3] + " has " + size + " bytes, the install had " + f[1]);
            }
            if (mtime != Long.parseLong(f[2]) && !HASHED.contains(file + " " + mtime)) {
                String sha = sha256(file);
                if (!sha.equals(f[0])) {
                    throw damaged(dir, f[3] + " was modified after install (sha256 " + sha + ", the install had " + f[0] + ")");
                }
                HASHED.add(file + " " + mtime);
            }
        }
    }

    /**
     * A 64-bit little-endian ELF file must reach the end of every loadable segment (what the loader maps: touching
     * a mapped page past the end of the file is the SIGBUS) and of its section header table.
     */
    private static void checkElf(Path f) {
        long size;
        long end;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            size = ch.size();
            ByteBuffer h = read(ch, 0, 64);
            if (h == null || h.getInt(0) != 0x464C457F || h.get(4) != 2 || h.get(5) != 1) {
                throw damaged(f.getParent(), f.getFileName() + " is not a 64-bit little-endian ELF library (" + size + " bytes)");
            }
            end = h.getLong(0x28) + (long) Short.toUnsignedInt(h.getShort(0x3C)) * Short.toUnsignedInt(h.getShort(0x3A));
            long phoff = h.getLong(0x20);
            int phentsize = Short.toUnsignedInt(h.getShort(0x36));
            int phnum = Short.toUnsignedInt(h.getShort(0x38));
            ByteBuffer ph = phentsize < 56 ? null : read(ch, phoff, phentsize * phnum);
            if (ph == null) {
                throw damaged(f.getParent(), f.getFileName() + " is truncated (" + size + " bytes, its program headers are missing)");
            }
            for (int i = 0; i < phnum; i++) {
                int at = i * phentsize;
                if (ph.getInt(at) == 1) { // PT_LOAD
                    end = Math.max(end, ph.getLong(at + 8) + ph.getLong(at + 32));
                }
            }
        } catch (IOException e) {
            throw damaged(f.getParent(), f.getFileName() + " cannot be read (" + e.getMessage() + ")");
        }
        if (size < end) {
            throw damaged(f.getParent(), f.getFileName() + " is truncated (" + size + " bytes, its headers need " + end + ")");
        }
    }

    /** {@code n} bytes at {@code offset}, or null when the file ends first. */
    private static ByteBuffer read(FileChannel ch, long offset, int n) throws IOException {
        if (offset < 0 || offset + n > ch.size()) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) {
            // keep reading until full
        }
        return b.hasRemaining() ? null : b;
    }

    private static String sha256(Path file) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw damaged(file.getParent(), file.getFileName() + " cannot be read (" + e.getMessage() + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "this JDK has no SHA-256", e);
        }
    }

    private static FaceException damaged(Path dir, String what) {
        return new FaceException(ErrorCode.ENGINE_UNAVAILABLE, "OpenVINO runtime in " + dir + " is damaged: " + what
                + "; nothing was loaded. Delete the folder and run: ./sameface models fetch");
    }
}
