package dev.sameface.openvino;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.SamefaceHome;

import java.nio.file.Path;

/**
 * Where the OpenVINO libraries are: the system property {@code sameface.openvino.lib}, else the environment
 * variable {@code SAMEFACE_OPENVINO_LIB} (a directory holding {@code libopenvino_c.so}, e.g. an existing OpenVINO
 * install), else {@code $SAMEFACE_HOME/runtimes/openvino-<PINNED_VERSION>/}, which the set-up step fills from the
 * PyPI wheel's {@code openvino/libs/}.
 */
public final class OpenVinoRuntime {
    /**
     * The wheel version the set-up step fetches; the cache directory is named after it. Written once, as the
     * parent pom's {@code openvino.version}, which also fills the model manifest's runtime entry.
     */
    public static final String PINNED_VERSION = pinnedVersion();
    public static final String PROPERTY = "sameface.openvino.lib";
    public static final String ENVIRONMENT = "SAMEFACE_OPENVINO_LIB";

    private OpenVinoRuntime() {
    }

    private static String pinnedVersion() {
        try (var in = OpenVinoRuntime.class.getResourceAsStream("runtime.properties")) {
            if (in == null) {
                throw new FaceException(ErrorCode.INTERNAL_ERROR, "runtime.properties is missing from backend-openvino's jar");
            }
            var p = new java.util.Properties();
            p.load(in);
            String v = p.getProperty("version", "");
            if (v.isBlank() || v.contains("${")) {
                throw new FaceException(ErrorCode.INTERNAL_ERROR, "backend-openvino was built without its OpenVINO version (got '" + v
                        + "'); build it with Maven, which fills it from the parent pom");
            }
            return v.trim();
        } catch (java.io.IOException e) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "cannot read backend-openvino's runtime.properties: " + e.getMessage(), e);
        }
    }

    public static Path directory() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(ENVIRONMENT);
        }
        if (p != null && !p.isBlank()) {
            return Path.of(p).toAbsolutePath();
        }
        return SamefaceHome.runtime("openvino", PINNED_VERSION);
    }
}
