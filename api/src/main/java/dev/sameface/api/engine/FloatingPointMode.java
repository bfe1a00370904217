package dev.sameface.api.engine;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * The current thread's floating-point mode as far as denormals go, and a scope that sets it for one engine call and
 * restores the caller's mode afterwards.
 *
 * <p>Why: flush-to-zero (FTZ) and denormals-are-zero (DAZ) are per-thread CPU state (x86 MXCSR bits 15 and 6,
 * aarch64 FPCR.FZ, bit 24), and engines run inference on the caller's thread. Engines set that state themselves
 * (ONNX Runtime when a session is created, OpenVINO when it compiles) and never restore it, so without a scope one
 * engine's setting leaks into the next engine and into Java's own float arithmetic on that thread, which then is no
 * longer IEEE 754. Every engine runs each load and inference as
 * {@code try (var m = FloatingPointMode.enter(denormals)) { ... }}; see docs/floating-point.md.
 *
 * <p>How: glibc's {@code fegetmode} / {@code fesetmode} (glibc 2.25+), bound once as critical FFM downcalls on a
 * Java array (no thread-state transition, no native allocation). They move only the control state, so they cost a
 * fraction of {@code fegetenv} / {@code fesetenv}, whose x87 {@code fnstenv} / {@code fldenv} are slow microcode
 * (measured here with a C loop: 90-160 ns against 700 ns per get-set-restore). Layouts, checked against glibc's
 * headers on this machine: x86_64 {@code femode_t} is 8 bytes with {@code __mxcsr} at offset 4; aarch64's is the
 * 4-byte FPCR. At start-up the class also proves the layout by setting the bits and watching Java's own float
 * arithmetic flush; on any other platform, or if that proof fails, {@link #controllable()} is false,
 * {@link #support()} says why, and scopes do nothing.
 *
 * @param controlRegister the MXCSR without its exception flags, or the FPCR: rounding, exception masks, FTZ, DAZ
 * @param flushToZero     denormal results become zero
 * @param denormalsAreZero denormal inputs are read as zero
 */
public record FloatingPointMode(int controlRegister, boolean flushToZero, boolean denormalsAreZero) {
    private static final Platform PLATFORM = Platform.detect();

    /** Whether this thread's mode can be read and set here. */
    public static boolean controllable() {
        return PLATFORM.getMode != null;
    }

    /** How the mode is controlled here, or why it is not ("not controllable here: ..."). */
    public static String support() {
        return PLATFORM.support;
    }

    /** The calling thread's mode; NOT_IMPLEMENTED where it is not controllable (see {@link #support()}). */
    public static FloatingPointMode current() {
        requireControllable();
        int[] state = new int[PLATFORM.modeInts];
        PLATFORM.get(state);
        return PLATFORM.mode(state[PLATFORM.controlIndex]);
    }

    /**
     * Sets the calling thread's mode for {@code denormals} until the scope is closed, which restores the mode the
     * thread had on entry (whatever the code in between set). Close it on the same thread, innermost first: use
     * try-with-resources. Where the mode is not controllable this does nothing.
     */
    public static Scope enter(Denormals denormals) {
        if (!controllable()) {
            return new Scope(null);
        }
        int[] saved = new int[PLATFORM.modeInts];
        PLATFORM.get(saved);
        int register = saved[PLATFORM.controlIndex];
        int wanted = denormals == Denormals.FLUSH ? register | PLATFORM.flushBits() : register & ~PLATFORM.flushBits();
        if (wanted != register) {
            int[] state = saved.clone();
            state[PLATFORM.controlIndex] = wanted;
            PLATFORM.set(state);
        }
        return new Scope(saved);
    }

    private static void requireControllable() {
        if (!controllable()) {
            throw new FaceException(ErrorCode.NOT_IMPLEMENTED, "the thread floating-point mode is " + PLATFORM.support);
        }
    }

    /** The caller's mode held for restoring. Not a native resource: closing twice is harmless. */
    public static final class Scope implements AutoCloseable {
        private final int[] saved;
        private final Thread owner = Thread.currentThread();
        private boolean closed;

        private Scope(int[] saved) {
            this.saved = saved;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (Thread.currentThread() != owner) {
                // Restoring here would change another thread's mode and leave the owner's set.
                throw new IllegalStateException("a floating-point mode scope must be closed on the thread that entered it ("
                        + owner.getName() + "), not on " + Thread.currentThread().getName());
            }
            closed = true;
            if (saved != null) {
                PLATFORM.set(saved);
            }
        }
    }

    /** One supported ABI: where the control register sits in {@code femode_t}, and its bits. */
    private record Platform(String support, MethodHandle getMode, MethodHandle setMode, int modeInts, int controlIndex,
                            int statusBits, int flushToZeroBit, int denormalsAreZeroBit) {
        /** MXCSR: FTZ bit 15, DAZ bit 6, exception flags bits 0-5; femode_t is {x87 control word, __mxcsr}. */
        static final Platform X86_64 = new Platform("", null, null, 2, 1, 0x3f, 1 << 15, 1 << 6);
        /** FPCR: FZ (bit 24) flushes both denormal inputs and results; no status bits (those are in FPSR). */
        static final Platform AARCH64 = new Platform("", null, null, 1, 0, 0, 1 << 24, 1 << 24);

        // Read at run time through volatile fields so that no compiler folds the arithmetic of the self-check.
        private static volatile float tiny = 1e-20f;
        private static volatile float subnormal = Float.MIN_NORMAL / 4;
        private static volatile float huge = 1e20f;

        int flushBits() {
            return flushToZeroBit | denormalsAreZeroBit;
        }

        FloatingPointMode mode(int register) {
            return new FloatingPointMode(register & ~statusBits, (register & flushToZeroBit) != 0,
                    (register & denormalsAreZeroBit) != 0);
        }

        static Platform detect() {
            String os = System.getProperty("os.name", "");
            String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
            Platform layout = switch (arch) {
                case "amd64", "x86_64" -> X86_64;
                case "aarch64" -> AARCH64;
                default -> null;
            };
            String where = os + "/" + arch;
            if (!os.startsWith("Linux") || layout == null) {
                return unsupported("only Linux on x86_64 or aarch64 with glibc is supported, this is " + where);
            }
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                if (libc.find("gnu_get_libc_version").isEmpty()) {
                    // musl and others: their layouts were not checked, so not trusted.
                    return unsupported("the C library is not glibc (" + where + ")");
                }
                // Critical: fegetmode/fesetmode are a few instructions, never block and never call back into Java, so
                // they may run without a thread-state transition and read or write the Java array directly.
                Linker.Option critical = Linker.Option.critical(true);
                FunctionDescriptor intOfPointer = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
                var get = libc.find("fegetmode");
                var set = libc.find("fesetmode");
                if (get.isEmpty() || set.isEmpty()) {
                    return unsupported("glibc older than 2.25 has no fegetmode/fesetmode (" + where + ")");
                }
                MethodHandle getMode = linker.downcallHandle(get.get(), intOfPointer, critical);
                MethodHandle setMode = linker.downcallHandle(set.get(), intOfPointer, critical);
                String how = (layout == X86_64 ? "x86_64 MXCSR" : "aarch64 FPCR") + " through glibc fegetmode/fesetmode";
                Platform bound = new Platform(how, getMode, setMode, layout.modeInts, layout.controlIndex, layout.statusBits,
                        layout.flushToZeroBit, layout.denormalsAreZeroBit);
                String failed = bound.selfCheck();
                return failed == null ? bound : unsupported("femode_t layout check failed on " + where + ": " + failed);
            } catch (RuntimeException | LinkageError e) {
                return unsupported("binding fegetmode/fesetmode failed on " + where + ": " + e);
            }
        }

        private static Platform unsupported(String why) {
            return new Platform("not controllable here: " + why, null, null, 0, 0, 0, 0, 0);
        }

        /** Sets the bits where this layout says they are and checks that Java's float arithmetic obeys. */
        private String selfCheck() {
            int[] saved = new int[modeInts];
            get(saved);
            try {
                int[] state = saved.clone();
                state[controlIndex] = saved[controlIndex] | flushBits();
                set(state);
                float ftz = tiny * tiny;
                float daz = subnormal * huge;
                state[controlIndex] = saved[controlIndex] & ~flushBits();
                set(state);
                float ieeeFtz = tiny * tiny;
                float ieeeDaz = subnormal * huge;
                if (ftz != 0f || daz != 0f || ieeeFtz == 0f || ieeeDaz == 0f) {
                    return "with the bits set 1e-20f*1e-20f = " + ftz + " and (MIN_NORMAL/4)*1e20f = " + daz
                            + "; cleared: " + ieeeFtz + " and " + ieeeDaz;
                }
                return null;
            } finally {
                set(saved);
            }
        }

        void get(int[] mode) {
            call(getMode, "fegetmode", mode);
        }

        void set(int[] mode) {
            call(setMode, "fesetmode", mode);
        }

        private static void call(MethodHandle function, String name, int[] mode) {
            int rc;
            try {
                rc = (int) function.invokeExact(MemorySegment.ofArray(mode));
            } catch (Throwable t) {
                throw new FaceException(ErrorCode.INTERNAL_ERROR, name + " failed: " + t, t);
            }
            if (rc != 0) {
                throw new FaceException(ErrorCode.INTERNAL_ERROR, name + " returned " + rc);
            }
        }
    }
}
