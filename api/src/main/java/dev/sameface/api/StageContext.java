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

    /** The manifest entry of a model: file, hash, and how its input is to be prepared. */
    ModelSpec modelSpec(String modelId);

    /**
     * Loads a model on this stage's engine. The pipeline owns the returned model and closes it with the
     * pipeline; the stage must not close it.
     */
    CompiledModel loadModel(String modelId);
}
