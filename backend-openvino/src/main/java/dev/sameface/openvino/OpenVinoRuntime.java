package dev.sameface.openvino;

import java.nio.file.Path;

/**
 * Where the OpenVINO libraries are: the system property {@code sameface.openvino.lib}, else the environment
 * variable {@code SAMEFACE_OPENVINO_LIB} (a directory holding {@code libopenvino_c.so}, e.g. an existing OpenVINO
 * install), else {@code $SAMEFACE_HOME/runtimes/openvino-<PINNED_VERSION>/}, which the set-up step fills from the
 * PyPI wheel's {@code openvino/libs/}.
 */
public final class OpenVinoRuntime {
    /** The wheel version the set-up step fetches; the cache directory is named after it. */
    public static final String PINNED_VERSION = "2026.4.1";
    public static final String PROPERTY = "sameface.openvino.lib";
    public static final String ENVIRONMENT = "SAMEFACE_OPENVINO_LIB";

    private OpenVinoRuntime() {
    }

    public static Path directory() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(ENVIRONMENT);
        }
        if (p != null && !p.isBlank()) {
            return Path.of(p).toAbsolutePath();
        }
        return samefaceHome().resolve("runtimes").resolve("openvino-" + PINNED_VERSION);
    }

    // Same resolution as dev.sameface.api.SamefaceHome (not used directly: the api jar installed while this module
    // was written predates it; switch to SamefaceHome.runtimes() once the api build that has it is installed).
    static Path samefaceHome() {
        String p = System.getProperty("sameface.home");
        if (p == null || p.isBlank()) {
            p = System.getenv("SAMEFACE_HOME");
        }
        if (p != null && !p.isBlank()) {
            return Path.of(p).toAbsolutePath();
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "sameface").toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "sameface");
    }
}
