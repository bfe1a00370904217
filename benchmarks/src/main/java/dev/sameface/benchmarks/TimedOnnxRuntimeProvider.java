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
    // Per thread: model id -> {nanoseconds in run(), calls} since the last take.
    private static final ThreadLocal<Map<String, long[]>> ENGINE_NANOS = ThreadLocal.withInitial(java.util.TreeMap::new);
    private final OnnxRuntimeEngineProvider delegate = new OnnxRuntimeEngineProvider();

    /** Per model id, nanoseconds spent in run() on this thread since the last take, and the number of calls. */
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
            long t0 = System.nanoTime();
            try {
                return model.run(inputs);
            } finally {
                long[] t = ENGINE_NANOS.get().computeIfAbsent(id, k -> new long[2]);
                t[0] += System.nanoTime() - t0;
                t[1]++;
            }
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
