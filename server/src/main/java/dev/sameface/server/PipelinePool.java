package dev.sameface.server;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.FacePipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A fixed set of pipelines, each owned by one worker thread for its whole life: built there, used there, closed
 * there. A pipeline therefore runs one request at a time on one thread (the single-thread rule), and the
 * process's inference threads are exactly the workers. Work waits in one bounded queue; when it is full,
 * {@link #offer} refuses at once instead of letting latency grow without bound.
 */
public final class PipelinePool implements AutoCloseable {
    private final BlockingQueue<Job<?>> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final CountDownLatch loaded;
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger ready = new AtomicInteger();
    private volatile FaceException failure;
    private volatile String description;
    private volatile boolean closed;

    /** Starts {@code size} workers, each building its pipeline with {@code factory}; returns before they are built. */
    public PipelinePool(Supplier<FacePipeline> factory, int size, int queueCapacity) {
        this.queue = new ArrayBlockingQueue<>(Math.max(1, queueCapacity));
        this.loaded = new CountDownLatch(size);
        for (int i = 0; i < size; i++) {
            Thread t = Thread.ofPlatform().name("sameface-pipeline-" + i).daemon().unstarted(() -> work(factory));
            workers.add(t);
        }
        workers.forEach(Thread::start);
    }

    /** Pipelines in the pool. */
    public int size() {
        return workers.size();
    }

    /** True once every pipeline is built (its models loaded); false while loading, after a failure or once closed. */
    public boolean isReady() {
        return !closed && failure == null && ready.get() == workers.size();
    }

    /** Why building a pipeline failed, if it did. */
    public Optional<FaceException> failure() {
        return Optional.ofNullable(failure);
    }

    /** Waits until every pipeline is built or one failed; true when ready. */
    public boolean awaitLoaded(java.time.Duration timeout) throws InterruptedException {
        return loaded.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) && isReady();
    }

    /** What the pipelines run ({@link FacePipeline#describe()}), once one is built. */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** Requests waiting for a pipeline. */
    public int queued() {
        return queue.size();
    }

    /** Pipelines running a request now. */
    public int busy() {
        return busy.get();
    }

    /** Pipelines that are built and not running a request. */
    public int idle() {
        return ready.get() - busy.get();
    }

    /**
     * Queues {@code work} for the next free pipeline; empty when the queue is full. The caller waits on the future with
     * its timeout and cancels it when it gives up: a cancelled job still waiting is skipped, one already running
     * finishes and its pipeline returns to the pool.
     */
    public <T> Optional<CompletableFuture<T>> offer(Function<FacePipeline, T> work) {
        if (closed) {
            return Optional.empty();
        }
        Job<T> job = new Job<>(work, new CompletableFuture<>());
        return queue.offer(job) ? Optional.of(job.result) : Optional.empty();
    }

    private void work(Supplier<FacePipeline> factory) {
        FacePipeline pipeline;
        try {
            pipeline = factory.get();
        } catch (FaceException e) {
            failure = e;
            loaded.countDown();
            return;
        } catch (RuntimeException e) {
            failure = new FaceException(ErrorCode.INTERNAL_ERROR, "could not build a pipeline: " + e, e);
            loaded.countDown();
            return;
        }
        try (pipeline) {
            description = pipeline.describe();
            ready.incrementAndGet();
            loaded.countDown();
            while (!closed) {
                Job<?> job;
                try {
                    job = queue.take();
                } catch (InterruptedException e) {
                    break; // close() interrupts the workers
                }
                if (job.result.isDone()) {
                    continue; // its caller gave up waiting
                }
                busy.incrementAndGet();
                job.run(pipeline, busy::decrementAndGet);
            }
        } finally {
            ready.decrementAndGet();
        }
    }

    private record Job<T>(Function<FacePipeline, T> work, CompletableFuture<T> result) {
        /** Runs the work, gives the pipeline back ({@code release}), then answers: whoever sees the answer sees the pipeline free. */
        void run(FacePipeline p, Runnable release) {
            T value;
            try {
                value = work.apply(p);
            } catch (RuntimeException | Error e) {
                release.run();
                // Handed to the waiting request, which answers it; the worker and its pipeline carry on.
                result.completeExceptionally(e);
                return;
            }
            release.run();
            result.complete(value);
        }
    }

    /** Refuses new work, fails what waits, and closes every pipeline on its own thread. */
    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
        for (Job<?> j; (j = queue.poll()) != null; ) {
            j.result.completeExceptionally(new FaceException(ErrorCode.INTERNAL_ERROR, "the server is shutting down"));
        }
        for (Thread t : workers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
