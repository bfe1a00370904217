package dev.sameface.evaluation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Template;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Turns a protocol's images into a {@link TemplateMatrix}: each image is looked up in the template store by its
 * content hash and enrolled through a pipeline only when missing.
 * <p>
 * Missing images are shared out to N workers, each with its own single-threaded pipeline on its own thread (the
 * first worker is the calling thread with the extractor it already holds; the others build theirs once, on their
 * thread, and close it there). Workers hand templates over a bounded queue to one writer thread, the only one that
 * touches the store, which appends each at once: a killed run loses at most the images in flight. A worker that
 * fails stops the others from taking new images; what is in flight is still stored, then the failure is thrown.
 * Rows are filled by index, so the matrix (and every figure computed from it) does not depend on N.
 */
public final class Enrolment {
    /**
     * @param images           images enrolled (= rows)
     * @param computed         templates made by the pipeline in this run
     * @param reused           templates read from the store
     * @param failed           failed templates (no usable face, undecodable image, ...)
     * @param failuresByCode   failed templates per error code
     * @param droppedBytes     bytes of torn or corrupt records left out when the store was opened
     * @param lostRecords      records those bytes held (their images were enrolled again, among {@code computed})
     * @param secondsComputing time spent in the pipelines, summed over the workers
     * @param threads          workers (pipelines) that enrolled the computed templates; 0 when nothing was computed
     * @param secondsWall      wall time of the enrolment step, hashing and store lookups included
     */
    public record Stats(int images, int computed, int reused, int failed, Map<String, Integer> failuresByCode,
                        long droppedBytes, int lostRecords, double secondsComputing, int threads, double secondsWall) {
        /** Failure-to-enrol rate over the images of the protocol. */
        public double fte() {
            return images == 0 ? 0 : (double) failed / images;
        }
    }

    public record Result(TemplateMatrix matrix, Stats stats) {
    }

    /** Image content hashes, computed once per run and shared by the configurations of that run. */
    public static final class Digests {
        private final Map<Path, byte[]> byPath = new HashMap<>();

        byte[] of(Path image) {
            return byPath.computeIfAbsent(image, ImageDigest::sha256);
        }
    }

    private Enrolment() {
    }

    /** Workers by default: one per core the JVM sees. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Each pipeline is single-threaded, so more workers than cores only thrash.
     *
     * @param name what the user set, for the message (e.g. {@code --threads})
     * @throws FaceException CONFIG_ERROR when {@code threads} is outside 1..cores
     */
    public static int checkThreads(String name, int threads) {
        int cores = defaultThreads();
        if (threads < 1 || threads > cores) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, name + " " + threads + " is outside 1.." + cores
                    + ": one single-threaded pipeline per thread, at most one per core this JVM sees (" + cores + ")");
        }
        return threads;
    }

    /**
     * @param first   the extractor of worker 1, used on the calling thread and left open for the caller to close
     * @param more    builds the extractor of each further worker, called on that worker's thread
     * @param threads workers, 1..cores (see {@link #checkThreads}); fewer start when fewer images are missing
     * @throws FaceException from an extractor for configuration/model/engine problems, INPUT_LOCATION_ERROR for an
     *                       image that cannot be read, IO_ERROR when the store cannot be written
     */
    public static Result enrol(List<Path> images, TemplateExtractor first, Supplier<? extends TemplateExtractor> more,
                               int threads, TemplateStore store, Digests digests, Progress progress, String label) {
        checkThreads("enrolment threads", threads);
        long start = System.nanoTime();
        Template[] rows = new Template[images.size()];
        // One job per missing image *content*: a photo copied under two names is enrolled once, as before.
        Map<String, Job> missing = new LinkedHashMap<>();
        int missingRows = 0;
        for (int i = 0; i < rows.length; i++) {
            byte[] key = digests.of(images.get(i));
            rows[i] = store.get(key);
            if (rows[i] == null) {
                final int row = i;
                missing.computeIfAbsent(ImageDigest.hex(key), h -> new Job(images.get(row), key, new IntList())).rows.add(i);
                missingRows++;
            }
        }
        List<Job> jobs = List.copyOf(missing.values());
        int workers = Math.min(threads, jobs.size());
        double pipelineSeconds = 0;
        if (workers > 0) {
            try (Progress.Bar bar = progress.start("templates " + shorten(label), rows.length, rows.length - missingRows)) {
                pipelineSeconds = new Run(jobs, rows, store, bar, workers).execute(first, more);
            }
        }
        Map<String, Integer> failures = new TreeMap<>();
        for (Template t : rows) {
            if (t.isFailed()) {
                failures.merge(t.failure().name(), 1, Integer::sum);
            }
        }
        TemplateMatrix matrix = TemplateMatrix.of(Arrays.asList(rows));
        int failed = failures.values().stream().mapToInt(Integer::intValue).sum();
        return new Result(matrix, new Stats(rows.length, jobs.size(), rows.length - jobs.size(), failed, failures,
                store.droppedBytes(), store.lostRecords(), pipelineSeconds, workers, (System.nanoTime() - start) / 1e9));
    }

    /** One image content to enrol and the rows that show it. */
    private record Job(Path image, byte[] key, IntList rows) {
    }

    /** A template on its way from a worker to the writer. */
    private record Made(Job job, Template template) {
    }

    /** One enrolment run over the missing images: the workers, the writer and the first failure. */
    private static final class Run {
        /** A worker's last message: the writer stops after one from each worker. */
        private static final Made DONE = new Made(null, null);

        private final List<Job> jobs;
        private final Template[] rows;
        private final TemplateStore store;
        private final Progress.Bar bar;
        private final int workers;
        // Small: a worker that runs ahead only holds memory; the writer's work per template is tiny.
        private final BlockingQueue<Made> queue;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final LongAdder pipelineNanos = new LongAdder();
        private final List<Throwable> failures = new ArrayList<>();
        /** Set by the writer only: after the store failed to take a template, nothing more is offered to it. */
        private boolean storeFailed;

        Run(List<Job> jobs, Template[] rows, TemplateStore store, Progress.Bar bar, int workers) {
            this.jobs = jobs;
            this.rows = rows;
            this.store = store;
            this.bar = bar;
            this.workers = workers;
            this.queue = new ArrayBlockingQueue<>(4 * workers);
        }

        /** @return seconds spent in the pipelines, summed over the workers */
        double execute(TemplateExtractor first, Supplier<? extends TemplateExtractor> more) {
            String identity = first.identity();
            Thread writer = Thread.ofPlatform().name("sameface-enrol-writer").start(this::write);
            List<Thread> others = new ArrayList<>();
            for (int w = 2; w <= workers; w++) {
                final int worker = w;
                Runnable body = () -> {
                    TemplateExtractor own = null;
                    try {
                        own = more.get();
                        if (!identity.equals(own.identity())) {
                            throw new FaceException(ErrorCode.INTERNAL_ERROR, "pipeline " + worker + " of " + workers
                                    + " has fingerprint '" + own.fingerprint() + "', pipeline 1 '" + first.fingerprint()
                                    + "' (different identities): their templates cannot share a store");
                        }
                        work(own);
                    } catch (Throwable e) {
                        fail(e);
                    } finally {
                        closeRecordingFailure(own);
                        handOver(DONE);
                    }
                };
                try {
                    others.add(Thread.ofPlatform().name("sameface-enrol-" + w).start(body));
                } catch (Throwable e) {
                    // No thread for this worker (the OS refused one): stop, and say "done" for it so the writer ends.
                    fail(e);
                    handOver(DONE);
                }
            }
            try {
                work(first);
            } catch (Throwable e) {
                fail(e);
            } finally {
                handOver(DONE);
            }
            others.forEach(Run::joinUninterruptibly);
            joinUninterruptibly(writer);
            synchronized (failures) {
                if (!failures.isEmpty()) {
                    Throwable e = failures.getFirst();
                    failures.subList(1, failures.size()).forEach(e::addSuppressed);
                    if (e instanceof RuntimeException r) {
                        throw r;
                    }
                    if (e instanceof Error err) {
                        throw err;
                    }
                    throw new FaceException(ErrorCode.INTERNAL_ERROR, "enrolment failed: " + e, e);
                }
            }
            return pipelineNanos.sum() / 1e9;
        }

        private void work(TemplateExtractor extractor) {
            for (int j; !stop.get() && (j = next.getAndIncrement()) < jobs.size(); ) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new FaceException(ErrorCode.INTERNAL_ERROR, "enrolment was interrupted");
                }
                Job job = jobs.get(j);
                long t0 = System.nanoTime();
                Template t = extractor.extract(job.image());
                pipelineNanos.add(System.nanoTime() - t0);
                handOver(new Made(job, t));
            }
        }

        /** The writer: the only thread that touches the store while workers run. */
        private void write() {
            for (int done = 0; done < workers; ) {
                Made m = takeUninterruptibly();
                if (m == DONE) {
                    done++;
                } else if (!storeFailed) {
                    try {
                        store.put(m.job().key(), m.template());
                        for (int i = 0; i < m.job().rows().size(); i++) {
                            rows[m.job().rows().get(i)] = m.template();
                        }
                        bar.stepBy(m.job().rows().size());
                    } catch (Throwable e) {
                        // Keep draining so no worker blocks on a full queue; what follows cannot be stored.
                        storeFailed = true;
                        fail(e);
                    }
                }
            }
        }

        private void fail(Throwable e) {
            synchronized (failures) {
                failures.add(e);
            }
            stop.set(true);
        }

        private void closeRecordingFailure(TemplateExtractor extractor) {
            if (extractor == null) {
                return;
            }
            try {
                extractor.close();
            } catch (Throwable e) {
                fail(e);
            }
        }

        /** Workers never give up a template: interrupting one would lose work the store could keep. */
        private void handOver(Made m) {
            boolean interrupted = false;
            while (true) {
                try {
                    queue.put(m);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private Made takeUninterruptibly() {
            while (true) {
                try {
                    return queue.take();
                } catch (InterruptedException e) {
                    // Only this class runs the writer thread and nothing interrupts it; keep draining regardless.
                }
            }
        }

        private static void joinUninterruptibly(Thread t) {
            boolean interrupted = false;
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 39) + "…";
    }
}
