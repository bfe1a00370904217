package dev.sameface.api.engine;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.util.Arrays;
import java.util.Locale;

/**
 * What an engine does with denormal (subnormal) floats, the engine property {@value #PROPERTY}: {@code flush}
 * (the default) runs every model load and inference with flush-to-zero and denormals-are-zero, {@code keep} with
 * IEEE gradual underflow. Either way the caller's floating-point mode is restored afterwards; see
 * docs/floating-point.md and {@link FloatingPointMode}.
 */
public enum Denormals {
    /** FTZ + DAZ: denormal results and inputs are zero. Intel cores otherwise take slow microcode assists. */
    FLUSH("flush"),
    /** IEEE 754 gradual underflow, as Java itself computes. */
    KEEP("keep");

    public static final String PROPERTY = "denormals";

    private final String value;

    Denormals(String value) {
        this.value = value;
    }

    /** The option value, {@code flush} or {@code keep}. */
    public String value() {
        return value;
    }

    /** The engine's setting; CONFIG_ERROR naming the key, the value and what is allowed when it is anything else. */
    public static Denormals of(EngineOptions options) {
        String given = options.property(PROPERTY, FLUSH.value);
        for (Denormals d : values()) {
            if (d.value.equals(given.trim().toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new FaceException(ErrorCode.CONFIG_ERROR, "engine option " + PROPERTY + "='" + given + "' is not one of "
                + Arrays.stream(values()).map(Denormals::value).toList() + " (default " + FLUSH.value + ")");
    }

    /**
     * For an engine's {@code description()}, e.g. "denormals flushed (FTZ/DAZ)"; says so when this platform's
     * thread floating-point mode cannot be controlled, so that only the engine's own option applies.
     */
    public String description() {
        String what = this == FLUSH ? "denormals flushed (FTZ/DAZ)" : "denormals kept (IEEE)";
        return FloatingPointMode.controllable() ? what
                : what + " by the engine's own option only; " + FloatingPointMode.support();
    }
}
