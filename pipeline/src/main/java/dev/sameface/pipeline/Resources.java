package dev.sameface.pipeline;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.util.ArrayDeque;
import java.util.Deque;

/** Everything native a pipeline opened, closed in reverse order exactly once. */
final class Resources implements AutoCloseable {
    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private boolean closed;

    synchronized <T extends AutoCloseable> T register(T resource) {
        if (closed) {
            throw new IllegalStateException("pipeline is closed");
        }
        open.push(resource);
        return resource;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        FaceException failure = null;
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                // Keep closing the rest; report the first failure with the others attached.
                if (failure == null) {
                    failure = new FaceException(ErrorCode.INTERNAL_ERROR, "failed to release a native resource: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
