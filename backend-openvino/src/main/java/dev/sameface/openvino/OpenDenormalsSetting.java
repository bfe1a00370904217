package dev.sameface.openvino;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.Denormals;

/**
 * The one {@link Denormals} setting OpenVINO engines and models open in this process share.
 *
 * <p>Why: OpenVINO's CPU plugin keeps, per thread, the floating-point mode that thread had at its first OpenVINO
 * inference, for as long as an OpenVINO core is open (measured here with 2026.4: on one thread, a
 * {@code denormals=keep} engine opened while a {@code flush} engine that had run was still open computed flushed
 * zeros, and the other way round; after every engine was closed the next one got its own setting). The scope
 * around each call sets the mode, but OpenVINO's parallel kernels do not follow it. Mixing settings would make
 * results depend on which engine ran first, so the second setting is refused instead.
 */
final class OpenDenormalsSetting {
    private static Denormals setting;
    private static int open;

    private OpenDenormalsSetting() {
    }

    /** Counts one more open engine or model with {@code wanted}; CONFIG_ERROR while others are open with the other. */
    static synchronized void acquire(Denormals wanted) {
        if (open > 0 && setting != wanted) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "OpenVINO is open in this process with " + Denormals.PROPERTY + "="
                    + setting.value() + " (" + open + " engine(s) and model(s)), and it keeps a thread's first floating-point mode "
                    + "while any of them is open, so " + Denormals.PROPERTY + "=" + wanted.value()
                    + " cannot hold: use one setting for every OpenVINO engine, or close those first");
        }
        setting = wanted;
        open++;
    }

    static synchronized void release() {
        if (open <= 0) {
            throw new IllegalStateException("OpenVINO open count would go below zero");
        }
        open--;
    }
}
