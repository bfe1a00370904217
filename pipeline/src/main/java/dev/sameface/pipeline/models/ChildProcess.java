package dev.sameface.pipeline.models;

import java.io.IOException;
import java.util.List;

/**
 * A set-up tool (npm, pip, a bash script) started so that it dies with sameface: while it runs, a shutdown hook
 * (Ctrl-C, SIGTERM, a normal exit) destroys it and every process it started ({@link ProcessHandle#descendants()}),
 * and {@link #close()} or an interrupt does the same if it is still alive, so no download keeps running after the
 * command is gone. A SIGKILL of the JVM runs no hook: what such an orphan writes lands in the cache's staging,
 * which the next run removes under the cache lock.
 */
public final class ChildProcess implements AutoCloseable {
    private final Process process;
    private final Thread hook;

    private ChildProcess(Process process) {
        this.process = process;
        this.hook = new Thread(() -> destroyTree(process.toHandle()), "sameface-child-cleanup");
    }

    public static ChildProcess start(ProcessBuilder builder) throws IOException {
        ChildProcess c = new ChildProcess(builder.start());
        Runtime.getRuntime().addShutdownHook(c.hook);
        return c;
    }

    /** Starts {@code builder} and waits for its exit code; on an interrupt the child and its descendants are destroyed. */
    public static int run(ProcessBuilder builder) throws IOException, InterruptedException {
        try (ChildProcess c = start(builder)) {
            return c.process.waitFor();
        }
    }

    public Process process() {
        return process;
    }

    /** Destroys the process and its descendants (listed first, while they are still its descendants). */
    public static void destroyTree(ProcessHandle root) {
        List<ProcessHandle> tree = root.descendants().toList();
        root.destroy();
        tree.forEach(ProcessHandle::destroy);
    }

    /** Destroys what is still running (after an interrupt, a timeout or a failure) and removes the shutdown hook. */
    @Override
    public void close() {
        if (process.isAlive() || process.toHandle().descendants().findAny().isPresent()) {
            destroyTree(process.toHandle());
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is shutting down and the hook runs (or ran): there is nothing to remove.
        }
    }
}
