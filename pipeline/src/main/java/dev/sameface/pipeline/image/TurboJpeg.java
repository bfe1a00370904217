package dev.sameface.pipeline.image;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * libjpeg-turbo's TurboJPEG API (the 2.x functions, which 3.x keeps) through FFM: JPEG decoding about five times
 * faster than ImageIO on LFW photos, the decoder OpenCV's imdecode uses. The library is Debian's {@code libturbojpeg0};
 * without it {@link #available()} is false and {@link ImageDecoder} decodes with ImageIO, saying so once in the log.
 *
 * <p>Stateless and thread-safe: each decode opens and destroys its own handle (a few microseconds), so one shared
 * decoder serves every thread.
 */
final class TurboJpeg {
    private static final Logger LOG = LoggerFactory.getLogger(TurboJpeg.class);
    static final String LIBRARY = "libturbojpeg.so.0";

    // turbojpeg.h
    static final int TJPF_RGB = 0;
    static final int TJPF_GRAY = 6;
    static final int TJCS_GRAY = 2;
    static final int TJCS_CMYK = 3;
    static final int TJCS_YCCK = 4;
    /** Stop at the first warning (a truncated file is only a warning to libjpeg) instead of returning grey rows. */
    private static final int TJFLAG_STOPONWARNING = 8192;
    /** Refuse progressive files with more than 500 scans, a known CPU-exhaustion input. */
    private static final int TJFLAG_LIMITSCANS = 32768;

    private static final Optional<TurboJpeg> INSTANCE = load();

    /**
     * Largest image decoded straight into the Java array (a "critical" downcall that may read and write heap arrays:
     * no copy of the JPEG in and of the pixels out, but the GC waits until the call returns). 4 megapixels decode in
     * a few tens of milliseconds; larger ones go through native memory so that other threads' GCs never wait longer.
     */
    static final long HEAP_DECODE_MAX_PIXELS = 4_000_000L;

    private final MethodHandle initDecompress;
    private final MethodHandle decompress2;
    private final MethodHandle decompressHeader3Heap;
    private final MethodHandle decompress2Heap;
    private final MethodHandle getErrorStr2;
    private final MethodHandle destroy;

    private TurboJpeg(SymbolLookup lib) {
        Linker linker = Linker.nativeLinker();
        ValueLayout.OfLong ulong = ValueLayout.JAVA_LONG;
        initDecompress = linker.downcallHandle(find(lib, "tjInitDecompress"), FunctionDescriptor.of(ValueLayout.ADDRESS));
        FunctionDescriptor header = FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ulong, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS);
        FunctionDescriptor decompress = FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ulong, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
        decompress2 = linker.downcallHandle(find(lib, "tjDecompress2"), decompress);
        // Neither function calls back into Java or blocks, and a bounded image decodes quickly: what critical requires.
        decompressHeader3Heap = linker.downcallHandle(find(lib, "tjDecompressHeader3"), header, Linker.Option.critical(true));
        decompress2Heap = linker.downcallHandle(find(lib, "tjDecompress2"), decompress, Linker.Option.critical(true));
        getErrorStr2 = linker.downcallHandle(find(lib, "tjGetErrorStr2"), FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        destroy = linker.downcallHandle(find(lib, "tjDestroy"), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    }

    private static MemorySegment find(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new IllegalArgumentException(LIBRARY + " has no " + name));
    }

    private static Optional<TurboJpeg> load() {
        try {
            return Optional.of(new TurboJpeg(SymbolLookup.libraryLookup(LIBRARY, Arena.global())));
        } catch (IllegalArgumentException | IllegalCallerException | UnsatisfiedLinkError e) {
            // Not an error: ImageIO decodes every JPEG too, only slower.
            LOG.info("{} not loadable ({}); decoding JPEGs with ImageIO, about 5x slower (Debian: apt-get install libturbojpeg0)",
                    LIBRARY, e.getMessage());
            return Optional.empty();
        }
    }

    /** The library, or empty when it is not installed (logged once). */
    static Optional<TurboJpeg> instance() {
        return INSTANCE;
    }

    static boolean available() {
        return INSTANCE.isPresent();
    }

    /** What the header says. */
    record Header(int width, int height, int colorspace) {
    }

    /** The outcome of one decode: pixels, or the reason TurboJPEG gave up (ImageDecoder then asks ImageIO). */
    sealed interface Result permits Decoded, Refused {
    }

    record Decoded(int width, int height, boolean grey, byte[] pixels) implements Result {
    }

    record Refused(String reason) implements Result {
    }

    /** Refuses a size read from the header (throws), before any pixel is decoded. */
    interface SizeCheck {
        void check(int width, int height);
    }

    /**
     * Decodes {@code jpeg}. A header TurboJPEG cannot read, a CMYK/YCCK file, or any error or warning while decoding
     * gives {@link Refused}; the size check runs on the header before any pixel is decoded and may throw.
     */
    Result decode(byte[] jpeg, SizeCheck sizeCheck) {
        try {
            MemorySegment handle = (MemorySegment) initDecompress.invokeExact();
            if (handle.equals(MemorySegment.NULL)) {
                return new Refused("tjInitDecompress failed");
            }
            try {
                // The JPEG and the header's four ints are read and written in place (critical downcall, heap access).
                MemorySegment src = MemorySegment.ofArray(jpeg);
                int[] dims = new int[4];
                MemorySegment d = MemorySegment.ofArray(dims);
                int rc = (int) decompressHeader3Heap.invokeExact(handle, src, (long) jpeg.length, d,
                        d.asSlice(4), d.asSlice(8), d.asSlice(12));
                if (rc != 0) {
                    return new Refused(error(handle));
                }
                Header header = new Header(dims[0], dims[1], dims[3]);
                if (header.colorspace() == TJCS_CMYK || header.colorspace() == TJCS_YCCK) {
                    return new Refused("CMYK/YCCK JPEG");
                }
                sizeCheck.check(header.width(), header.height());
                boolean grey = header.colorspace() == TJCS_GRAY;
                int format = grey ? TJPF_GRAY : TJPF_RGB;
                int flags = TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS;
                // Within the size limits this fits an array: at most 16384 x 16384 x 3 bytes is refused above.
                byte[] pixels = new byte[Math.toIntExact((long) header.width() * header.height() * (grey ? 1 : 3))];
                if ((long) header.width() * header.height() <= HEAP_DECODE_MAX_PIXELS) {
                    rc = (int) decompress2Heap.invokeExact(handle, src, (long) jpeg.length, MemorySegment.ofArray(pixels),
                            header.width(), 0, header.height(), format, flags);
                } else {
                    rc = decodeOffHeap(handle, jpeg, pixels, header.width(), header.height(), format, flags);
                }
                if (rc != 0) {
                    return new Refused(error(handle));
                }
                return new Decoded(header.width(), header.height(), grey, pixels);
            } finally {
                // tjDestroy fails only for an invalid handle, which this one is not; nothing to report.
                int status = (int) destroy.invokeExact(handle);
                assert status == 0 : "tjDestroy failed";
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            // invokeExact declares Throwable; the downcalls themselves throw nothing checked.
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "TurboJPEG call failed: " + e, e);
        }
    }

    /** A large image through native memory (an ordinary downcall, during which GCs may run), copied in and out. */
    private int decodeOffHeap(MemorySegment handle, byte[] jpeg, byte[] pixels, int width, int height, int format, int flags)
            throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(jpeg.length);
            MemorySegment.copy(jpeg, 0, src, ValueLayout.JAVA_BYTE, 0, jpeg.length);
            MemorySegment dst = arena.allocate(pixels.length);
            int rc = (int) decompress2.invokeExact(handle, src, (long) jpeg.length, dst, width, 0, height, format, flags);
            MemorySegment.copy(dst, ValueLayout.JAVA_BYTE, 0, pixels, 0, pixels.length);
            return rc;
        }
    }

    private String error(MemorySegment handle) throws Throwable {
        MemorySegment msg = (MemorySegment) getErrorStr2.invokeExact(handle);
        return msg.equals(MemorySegment.NULL) ? "unknown TurboJPEG error" : msg.reinterpret(1024).getString(0);
    }
}
