package dev.sameface.pipeline.models;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The model cache's install lock: one process (and one thread) at a time fetches, prepares or installs into
 * {@code SAMEFACE_HOME}, so two commands started together never interleave their files. Held on
 * {@code <home>/.lock} (an OS file lock: released by the OS when the process dies, however it dies). Installs
 * stage in {@code <home>/.staging/} (same file system as their destination, so the final rename is atomic); only
 * the lock holder stages, so whatever is in there when the lock is taken was left by a killed run and is deleted.
 * Re-entrant within a thread (a command that holds it may call the fetcher, which takes it again).
 */
public final class CacheLock implements AutoCloseable {
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();
    private static final String LOCK_FILE = ".lock";
    private static final String STAGING = ".staging";

    private final Path home;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private CacheLock(Path home, FileChannel channel, FileLock lock) {
        this.home = home;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Waits for the lock (saying so through {@code log} when another process has it), then removes stale staging.
     *
     * @throws FaceException IO_ERROR when the cache folder cannot be created or locked
     */
    public static CacheLock acquire(Path home, Consumer<String> log) {
        IN_PROCESS.lock();
        if (IN_PROCESS.getHoldCount() > 1) {
            return new CacheLock(home, null, null);
        }
        FileChannel ch = null;
        try {
            Files.createDirectories(home);
            ch = FileChannel.open(home.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                log.accept("waiting for another sameface process that is installing into " + home);
                l = ch.lock();
            }
            CacheLock held = new CacheLock(home, ch, l);
            held.removeStaleStaging(log);
            return held;
        } catch (IOException | RuntimeException e) {
            RuntimeException failure = e instanceof RuntimeException r ? r
                    : new FaceException(ErrorCode.IO_ERROR, "cannot lock the model cache " + home + ": " + e.getMessage(), e);
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException closing) {
                    failure.addSuppressed(closing);
                }
            }
            IN_PROCESS.unlock();
            throw failure;
        }
    }

    private void removeStaleStaging(Consumer<String> log) throws IOException {
        Path staging = home.resolve(STAGING);
        if (!Files.isDirectory(staging)) {
            return;
        }
        try (Stream<Path> left = Files.list(staging)) {
            for (Path p : left.toList()) {
                log.accept("removing " + p + ", left by an interrupted run");
                ModelFetcher.deleteTree(p);
            }
        }
    }

    /** A new, empty folder inside the cache to stage one install in; the caller deletes it when done. */
    public Path newStagingFolder(String prefix) {
        ensureHeld();
        try {
            Path staging = Files.createDirectories(home.resolve(STAGING));
            return Files.createTempDirectory(staging, prefix);
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot create a staging folder in " + home + ": " + e.getMessage(), e);
        }
    }

    private void ensureHeld() {
        if (closed) {
            throw new IllegalStateException("the cache lock on " + home + " was released");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (channel != null) {
                try (FileChannel c = channel) {
                    lock.release();
                }
            }
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot release the model cache lock " + home.resolve(LOCK_FILE) + ": " + e.getMessage(), e);
        } finally {
            IN_PROCESS.unlock();
        }
    }
}
