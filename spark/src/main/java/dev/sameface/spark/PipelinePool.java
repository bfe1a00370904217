package dev.sameface.spark;

import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * The pipelines of one executor JVM. Spark runs one task per core, each task borrows a pipeline for its whole
 * partition and gives it back, so an executor with c cores builds at most c pipelines (each single-threaded, models
 * loaded and sha256-checked by the model cache once) and reuses them for every later partition and batch: never a
 * pipeline per image, nor per partition. Closed when the JVM exits.
 */
final class PipelinePool {
    private static final Map<PipelineSpec, ConcurrentLinkedQueue<FacePipeline>> IDLE = new ConcurrentHashMap<>();
    private static final List<FacePipeline> ALL = new ArrayList<>();
    private static final Function<PipelineSpec, FacePipeline> FACTORY = spec -> Pipelines.create(spec.config());

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(PipelinePool::closeAll, "sameface-pipeline-pool-close"));
    }

    private PipelinePool() {
    }

    /** A pipeline for the caller's thread alone, until {@link #release}. */
    static FacePipeline borrow(PipelineSpec spec) {
        FacePipeline p = IDLE.computeIfAbsent(spec, s -> new ConcurrentLinkedQueue<>()).poll();
        if (p != null) {
            return p;
        }
        FacePipeline created = FACTORY.apply(spec);
        synchronized (ALL) {
            ALL.add(created);
        }
        return created;
    }

    static void release(PipelineSpec spec, FacePipeline pipeline) {
        IDLE.get(spec).add(pipeline);
    }

    /** Pipelines this JVM has built (for tests and the job summary: at most one per task slot). */
    static int created() {
        synchronized (ALL) {
            return ALL.size();
        }
    }

    private static void closeAll() {
        synchronized (ALL) {
            for (FacePipeline p : ALL) {
                p.close();
            }
            ALL.clear();
        }
    }
}
