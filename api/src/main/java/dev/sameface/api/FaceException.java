package dev.sameface.api;

import java.util.Objects;

/**
 * The one exception sameface throws for anything a caller can act on. Unchecked so that stages compose in
 * lambdas; every public method documents it. The message is one line meant for an end user.
 */
public class FaceException extends RuntimeException {
    private final ErrorCode code;

    public FaceException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code);
    }

    public FaceException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code);
    }

    public ErrorCode code() {
        return code;
    }
}
