package dev.sameface.cli;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.ModelFormat;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.pipeline.config.Precision;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.models.QuantisedSidecar;
import dev.sameface.pipeline.registry.CpuFeatures;
import dev.sameface.pipeline.registry.EngineRegistry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The non-f32 columns of {@code bench-models --precisions}: per engine, the same model in int8 (its gated copy, on
 * engines that load ONNX) and in bf16 (OpenVINO, where the CPU reports bf16). A column is named
 * {@code engine/precision}; one that cannot run here is a note saying why, not a silent f32 row.
 */
final class PrecisionVariants implements AutoCloseable {
    /** The column of an int8 copy whose gate failed. */
    static final String FAILED_GATE = "int8-failed-gate";
    /** The column of a speed-only model's int8 copy (untrained weights: no gate). */
    static final String SPEED_ONLY = "int8-speed-only";
    private final List<Precision> wanted;
    private final ModelCache cache;
    private final Map<String, InferenceEngine> live;
    private InferenceEngine openVinoBf16;
    private final String bf16Refusal;

    PrecisionVariants(List<String> precisions, ModelCache cache, Map<String, InferenceEngine> live, EngineRegistry registry) {
        this.wanted = precisions.stream().map(Precision::parse).distinct().toList();
        if (wanted.contains(Precision.AUTO)) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "--precisions takes f32, int8 and bf16; auto is what this command measures");
        }
        this.cache = cache;
        this.live = live;
        CpuFeatures cpu = CpuFeatures.current();
        if (!wanted.contains(Precision.BF16)) {
            bf16Refusal = null;
        } else if (!live.containsKey("openvino")) {
            bf16Refusal = "bf16 skipped: it runs only on openvino, which is not among the engines";
        } else if (!cpu.hasBf16()) {
            bf16Refusal = "bf16 skipped: this CPU (" + cpu.model() + ") reports " + cpu.precisionFlags()
                    + ", no avx512_bf16 or amx_bf16; OpenVINO would run f32";
        } else {
            bf16Refusal = null;
            openVinoBf16 = registry.get("openvino").create(EngineOptions.singleThreaded().withProperties(Map.of("precision", "bf16")));
        }
    }

    static boolean isVariant(String column) {
        return column.contains("/");
    }

    /** Adds this model's int8 and bf16 columns to {@code compiled}, or notes why a column cannot run. */
    void load(String id, ModelSource f32, Map<String, CompiledModel> compiled, List<String> notes) {
        if (wanted.contains(Precision.INT8)) {
            ModelSource int8 = null;
            String column = Precision.INT8.id();
            try {
                int8 = cache.int8Source(id);
            } catch (FaceException e) {
                QuantisedSidecar sidecar = e.code() == ErrorCode.CONFIG_ERROR ? cache.int8Sidecar(id) : null;
                var gate = sidecar != null ? sidecar.gate() : null;
                // A copy no pipeline may run is still timed, under a name precision auto never takes: a speed-only
                // model's (untrained), or one whose gate failed (what int8 would have bought, for the record).
                if (sidecar != null && sidecar.speedOnly()) {
                    column = SPEED_ONLY;
                } else if (gate != null && !gate.passed()) {
                    column = FAILED_GATE;
                    notes.add("int8 of " + id + " failed its gate (" + gate.summary() + "): timed as " + FAILED_GATE + ", never chosen");
                } else {
                    notes.add("int8 skipped for " + id + ": " + e.getMessage());
                }
                if (!column.equals(Precision.INT8.id())) {
                    int8 = ModelSource.onnx(id, f32.sha256(), QuantisedSidecar.modelFile(cache.home(), id));
                }
            }
            if (int8 != null) {
                for (var e : live.entrySet()) {
                    if (!e.getValue().formats().contains(ModelFormat.ONNX)) {
                        notes.add("int8 skipped on " + e.getKey() + ": it loads " + e.getValue().formats() + ", not the quantised ONNX copy");
                        continue;
                    }
                    compiled.put(e.getKey() + "/" + column, e.getValue().load(int8));
                }
            }
        }
        if (bf16Refusal != null) {
            notes.add(bf16Refusal);
        } else if (openVinoBf16 != null) {
            compiled.put("openvino/bf16", openVinoBf16.load(f32));
        }
    }

    /**
     * @param fastest per engine, the fastest precision (f32 unless another is more than 5% faster: within that it is
     *                noise on a shared machine, and f32 is the reference); only engines with more than f32 measured
     * @param medians per engine, median ms per precision
     */
    record PerEngine(Map<String, String> fastest, Map<String, Map<String, Double>> medians) {
    }

    /**
     * From every column's median. bf16 has no accuracy gate yet (only int8 does), so it is timed and reported but
     * never chosen for {@code precision: auto}.
     */
    static PerEngine fastestPerEngine(Map<String, Double> columns) {
        Map<String, Map<String, Double>> medians = new TreeMap<>();
        columns.forEach((column, ms) -> {
            int slash = column.indexOf('/');
            String engine = slash < 0 ? column : column.substring(0, slash);
            String precision = slash < 0 ? Precision.F32.id() : column.substring(slash + 1);
            medians.computeIfAbsent(engine, k -> new LinkedHashMap<>()).put(precision, Math.round(ms * 1000) / 1000.0);
        });
        Map<String, String> fastest = new TreeMap<>();
        Map<String, Map<String, Double>> measured = new TreeMap<>();
        medians.forEach((engine, byPrecision) -> {
            Double f32 = byPrecision.get(Precision.F32.id());
            if (byPrecision.size() < 2 || f32 == null) {
                return;
            }
            measured.put(engine, byPrecision);
            String best = Precision.F32.id();
            double bestMs = f32;
            Double int8 = byPrecision.get(Precision.INT8.id());
            if (int8 != null && int8 < f32 / 1.05 && int8 < bestMs) {
                best = Precision.INT8.id();
            }
            fastest.put(engine, best);
        });
        return new PerEngine(fastest, measured);
    }

    @Override
    public void close() {
        if (openVinoBf16 != null) {
            openVinoBf16.close();
        }
    }
}
