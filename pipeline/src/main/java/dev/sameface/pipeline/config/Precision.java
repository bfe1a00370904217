package dev.sameface.pipeline.config;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.util.Arrays;
import java.util.Locale;

/**
 * The numeric precision a stage's models run in. {@code f32} runs everywhere; {@code bf16} only on OpenVINO and only
 * on a CPU that reports bf16 arithmetic; {@code int8} runs the quantised copy of the model that passed its accuracy
 * gate ({@code sameface models prepare --precision int8}); {@code auto} the fastest precision that passed its gate as
 * measured on this machine by {@code sameface bench-models}, else f32.
 */
public enum Precision {
    F32, BF16, INT8, AUTO;

    /** The word used in configuration files, e.g. {@code int8}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Precision parse(String s) {
        for (Precision p : values()) {
            if (p.id().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return p;
            }
        }
        throw new FaceException(ErrorCode.CONFIG_ERROR, "unknown precision '" + s + "'; known: "
                + String.join(", ", Arrays.stream(values()).map(Precision::id).toList()));
    }

    @Override
    public String toString() {
        return id();
    }
}
