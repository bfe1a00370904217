package dev.sameface.server;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

/** A request refused for its form (size, content type, a missing part) before any pipeline sees it: carries the HTTP status. */
final class RequestRefused extends FaceException {
    private final int status;

    RequestRefused(int status, ErrorCode code, String message) {
        super(code, message);
        this.status = status;
    }

    int status() {
        return status;
    }

    static RequestRefused tooLarge(String what, long bytes, long limit) {
        return new RequestRefused(413, ErrorCode.IMAGE_SIZE_REFUSED, what + " is " + bytes + " bytes, over the limit of " + limit + " bytes");
    }

    static RequestRefused missing(String message) {
        return new RequestRefused(400, ErrorCode.INPUT_LOCATION_ERROR, message);
    }
}
