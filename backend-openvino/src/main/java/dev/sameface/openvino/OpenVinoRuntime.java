package dev.sameface.openvino;

import dev.sameface.api.SamefaceHome;

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
        return SamefaceHome.runtimes().resolve("openvino-" + PINNED_VERSION);
    }
}
