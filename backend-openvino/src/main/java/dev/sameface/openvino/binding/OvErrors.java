package dev.sameface.openvino.binding;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.lang.foreign.MemorySegment;

/** Status codes and messages of the C API, flattened to the one-line messages FaceException promises. */
final class OvErrors {
    /** {@code ov_status_e} names, indexed by {@code -status}. */
    private static final String[] STATUS = {"OK", "GENERAL_ERROR", "NOT_IMPLEMENTED", "NETWORK_NOT_LOADED",
            "PARAMETER_MISMATCH", "NOT_FOUND", "OUT_OF_BOUNDS", "UNEXPECTED", "REQUEST_BUSY", "RESULT_NOT_READY",
            "NOT_ALLOCATED", "INFER_NOT_STARTED", "NETWORK_NOT_READ", "INFER_CANCELLED", "INVALID_C_PARAM",
            "UNKNOWN_C_ERROR", "NOT_IMPLEMENT_C_METHOD", "UNKNOW_EXCEPTION"};
    private static final int INVALID_C_PARAM = -14;
    private static final int MAX_MESSAGE = 600;

    private OvErrors() {
    }

    static String statusName(int status) {
        return status <= 0 && -status < STATUS.length ? STATUS[-status] : "status " + status;
    }

    /**
     * The status name plus OpenVINO's last error message. The C API keeps one process-wide last message, set
     * only when it caught a C++ exception; INVALID_C_PARAM comes without one, so a stale message is not shown then.
     */
    static String describe(OpenVino ov, int status) {
        String message = "";
        if (status != INVALID_C_PARAM) {
            try {
                message = ov.takeString((MemorySegment) ov.api.getLastErrMsg.invokeExact());
            } catch (Throwable t) {
                message = "(OpenVINO's error message is unreadable: " + t + ")";
            }
        }
        return statusName(status) + (message.isBlank() ? "" : ": " + oneLine(message));
    }

    /** OpenVINO's messages span lines (source locations, nested causes); keep them on one line and bounded. */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String flat = message.strip()
                // OpenVINO prefixes each nesting level with its C++ source location, which tells a user nothing.
                .replaceAll("Exception from \\S+:\\d+:\\s*", "")
                .replaceAll("\\s*[\\r\\n]+\\s*", " | ").replaceAll("\\s{2,}", " ")
                .replaceAll("^(\\|\\s*)+", "");
        return flat.length() <= MAX_MESSAGE ? flat : flat.substring(0, MAX_MESSAGE) + "...";
    }

    static String string(MemorySegment cString) {
        return cString.equals(MemorySegment.NULL) ? "" : cString.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** A failure of the Java-to-native call itself (not an OpenVINO status): a bug in this binding. */
    static FaceException unexpected(String what, Throwable t) {
        return new FaceException(ErrorCode.INTERNAL_ERROR, "OpenVINO call " + what + " failed: " + t, t);
    }
}
