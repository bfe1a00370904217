package dev.sameface.benchmarks;

import dev.sameface.api.engine.Availability;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.InferenceEngineProvider;
import dev.sameface.api.engine.ModelFormat;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.api.engine.Tensor;
import dev.sameface.api.engine.TensorInfo;
import dev.sameface.onnx.OnnxRuntimeEngineProvider;

import java.util.List;
import java.util.Map;

/**
 * Engine {@code timed-onnxruntime}: ONNX Runtime itself, with the wall-clock time of every {@link CompiledModel#run}
 * added to a per-thread counter, so {@link JavaOverhead} can split a template's time into engine calls and the Java
 * around them. Registered only in this module; rank 0, so nothing picks it unless named.
 */
public final class TimedOnnxRuntimeProvider implements InferenceEngineProvider {
    public static final String NAME = "timed-onnxruntime";
    // Per thread: model id -> {wall-clock nanoseconds in run(), calls, this thread's CPU nanoseconds in run()} since
    // the last take. CPU time does not count the time the thread waited for a core, so it stays meaningful on a
    // machine shared with other jobs; every engine here runs its one inference thread on the caller's thread.
    private static final ThreadLocal<Map<String, long[]>> ENGINE_NANOS = ThreadLocal.withInitial(java.util.TreeMap::new);
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** This thread's CPU time in nanoseconds. */
    static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }
    private final OnnxRuntimeEngineProvider delegate = new OnnxRuntimeEngineProvider();

    /** Per model id: wall nanoseconds spent in run() on this thread since the last take, calls, CPU nanoseconds. */
    static Map<String, long[]> takeEngineTime() {
        Map<String, long[]> t = ENGINE_NANOS.get();
        Map<String, long[]> copy = Map.copyOf(t);
        t.clear();
        return copy;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public Availability availability() {
        return delegate.availability();
    }

    @Override
    public InferenceEngine create(EngineOptions options) {
        InferenceEngine engine = delegate.create(options);
        return new InferenceEngine() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public String description() {
                return engine.description() + ", run() timed";
            }

            @Override
            public List<ModelFormat> formats() {
                return engine.formats();
            }

            @Override
            public CompiledModel load(ModelSource source) {
                return new Timed(source.id(), engine.load(source));
            }

            @Override
            public void close() {
                engine.close();
            }
        };
    }

    private record Timed(String id, CompiledModel model) implements CompiledModel {
        @Override
        public List<TensorInfo> inputs() {
            return model.inputs();
        }

        @Override
        public List<TensorInfo> outputs() {
            return model.outputs();
        }

        @Override
        public Map<String, Tensor> run(Map<String, Tensor> inputs) {
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            try {
                return model.run(inputs);
            } finally {
                long t1 = System.nanoTime();
                long[] t = ENGINE_NANOS.get().computeIfAbsent(id, k -> new long[3]);
                t[0] += t1 - t0;
                t[1]++;
                t[2] += cpuNanos() - c0;
            }
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
