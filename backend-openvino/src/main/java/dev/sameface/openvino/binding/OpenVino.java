package dev.sameface.openvino.binding;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * The OpenVINO C library, loaded once per process from a directory that holds {@code libopenvino_c.so}.
 *
 * <p>The libraries are loaded by absolute path in dependency order (TBB, {@code libopenvino}, {@code libopenvino_c}),
 * so neither {@code LD_LIBRARY_PATH} nor a RUNPATH is needed: the dynamic loader satisfies a later library's
 * {@code NEEDED} entry with an already loaded library of that SONAME. The PyPI wheel's libraries also carry
 * {@code RUNPATH=$ORIGIN}. OpenVINO itself finds its CPU plugin and front ends next to {@code libopenvino.so}.
 * The libraries are never unloaded (TBB does not survive being unloaded), so the process keeps one OpenVINO.
 */
public final class OpenVino {
    private static final Object LOCK = new Object();
    private static OpenVino loaded;

    private final Path directory;
    final OvNative api;
    private final String buildNumber;

    private OpenVino(Path directory, OvNative api) {
        this.directory = directory;
        this.api = api;
        this.buildNumber = readVersion();
    }

    /**
     * Loads OpenVINO from {@code directory} (once per process).
     *
     * @throws FaceException ENGINE_UNAVAILABLE when the libraries are missing or do not load, or when another
     *                       directory was loaded already
     */
    public static OpenVino load(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        // Missing files are reported as such even when another directory's OpenVINO is loaded already.
        List<Path> chain = libraryChain(dir);
        // Before anything native: a truncated library would be mapped and kill the JVM (SIGBUS), not throw.
        RuntimeFiles.verify(dir);
        synchronized (LOCK) {
            if (loaded != null) {
                if (!loaded.directory.equals(dir)) {
                    throw new FaceException(ErrorCode.ENGINE_UNAVAILABLE, "OpenVINO is already loaded from "
                            + loaded.directory + " in this process; cannot also load it from " + dir);
                }
                return loaded;
            }
            SymbolLookup cLibrary = null;
            try {
                for (Path lib : chain) {
                    cLibrary = SymbolLookup.libraryLookup(lib, Arena.global());
                }
                loaded = new OpenVino(dir, new OvNative(cLibrary));
            } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
                throw new FaceException(ErrorCode.ENGINE_UNAVAILABLE,
                        "OpenVINO runtime in " + dir + " does not load: " + OvErrors.oneLine(e.getMessage()), e);
            }
            return loaded;
        }
    }

    /** The libraries to load from {@code dir}, dependencies first; fails with a one-line remedy if any is missing. */
    static List<Path> libraryChain(Path dir) {
        List<Path> chain = new ArrayList<>();
        // TBB is optional: builds with OpenMP threading do not ship it.
        find(dir, "libtbb.so").ifPresent(chain::add);
        chain.add(find(dir, "libopenvino.so").orElseThrow(() -> missing(dir, "libopenvino.so")));
        chain.add(find(dir, "libopenvino_c.so").orElseThrow(() -> missing(dir, "libopenvino_c.so")));
        if (find(dir, "libopenvino_intel_cpu_plugin.so").isEmpty()) {
            throw missing(dir, "libopenvino_intel_cpu_plugin.so");
        }
        return chain;
    }

    private static FaceException missing(Path dir, String lib) {
        return new FaceException(ErrorCode.ENGINE_UNAVAILABLE, "OpenVINO runtime not found in " + dir + " (no " + lib
                + "); run: ./sameface models fetch (or set SAMEFACE_OPENVINO_LIB to a directory holding libopenvino_c.so)");
    }

    /** {@code base} itself, else its versioned form {@code base.N...} (the wheel ships only versioned names). */
    static Optional<Path> find(Path dir, String base) {
        Path plain = dir.resolve(base);
        if (Files.isRegularFile(plain)) {
            return Optional.of(plain);
        }
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(base + "."))
                    .filter(Files::isRegularFile)
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether {@link #load} would succeed for {@code directory}: empty if so, else the one-line reason. */
    public static Optional<String> probe(Path directory) {
        try {
            load(directory);
            return Optional.empty();
        } catch (FaceException e) {
            return Optional.of(e.getMessage());
        }
    }

    public Path directory() {
        return directory;
    }

    /** OpenVINO's build number, e.g. {@code 2026.4.1-22982-...}. */
    public String version() {
        return buildNumber;
    }

    /** A new {@code ov_core}. */
    public OvCore createCore() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check((int) api.coreCreate.invokeExact(out), ErrorCode.ENGINE_UNAVAILABLE, "ov_core_create");
            return new OvCore(this, out.get(ADDRESS, 0));
        } catch (FaceException e) {
            throw e;
        } catch (Throwable t) {
            throw OvErrors.unexpected("ov_core_create", t);
        }
    }

    private String readVersion() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(OvNative.VERSION);
            check((int) api.getOpenvinoVersion.invokeExact(v), ErrorCode.ENGINE_UNAVAILABLE, "ov_get_openvino_version");
            try {
                return OvErrors.string(v.get(ADDRESS, 0));
            } finally {
                api.versionFree.invokeExact(v);
            }
        } catch (FaceException e) {
            throw e;
        } catch (Throwable t) {
            throw OvErrors.unexpected("ov_get_openvino_version", t);
        }
    }

    /** Turns a non-zero {@code ov_status_e} into a FaceException carrying OpenVINO's own message. */
    void check(int status, ErrorCode code, String what) {
        if (status != 0) {
            throw new FaceException(code, "OpenVINO " + what + " failed: " + OvErrors.describe(this, status));
        }
    }

    /** Reads and frees a {@code char*} that OpenVINO allocated for the caller. */
    String takeString(MemorySegment cString) throws Throwable {
        if (cString.equals(MemorySegment.NULL)) {
            return "";
        }
        try {
            return OvErrors.string(cString);
        } finally {
            api.free.invokeExact(cString);
        }
    }
}
