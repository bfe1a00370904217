package dev.sameface.api;

import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.ModelSpec;

/**
 * What the pipeline hands a stage provider: its validated options, and models loaded on the engine the
 * configuration chose for this stage. The stage never names an engine itself.
 */
public interface StageContext {
    /** The stage's role in the pipeline: {@code detector}, {@code aligner}, {@code embedder} or {@code matcher}. */
    String stage();

    StageOptions options();

    /** The model the configuration named for this stage ({@code model:}), or null if the stage needs none. */
    String modelId();

    /** How a model's input is to be prepared, from its manifest entry. */
    ModelSpec modelSpec(String modelId);

    /** The SHA-256 of a model's weights, which names its embedding space in template fingerprints. */
    String modelSha256(String modelId);

    /**
     * Loads a model on this stage's engine. The pipeline owns the returned model and closes it with the
     * pipeline; the stage must not close it.
     */
    CompiledModel loadModel(String modelId);
}
