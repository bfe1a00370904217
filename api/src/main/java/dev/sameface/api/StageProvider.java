package dev.sameface.api;

import java.util.List;
import java.util.Map;

/**
 * Creates one kind of stage. Found with {@link java.util.ServiceLoader} through the per-stage subinterfaces
 * ({@link DetectorProvider}, ...); chosen by {@link #name()} in the configuration.
 *
 * @param <S> the stage type
 */
public interface StageProvider<S> {
    /** The name the configuration uses, e.g. {@code yunet}. Lower case, no spaces. */
    String name();

    /** One line for listings. */
    default String description() {
        return name();
    }

    /**
     * Every option this stage understands, with its default as a string; other keys are rejected. A provider that
     * declares {@link #optionSpecs()} returns {@link StageOptions#defaults(List)} of them here.
     */
    default Map<String, String> options() {
        return Map.of();
    }

    /**
     * Every option with its type and allowed range: the pipeline checks the configuration against these before it
     * creates any stage, so an out-of-range value is a {@link ErrorCode#CONFIG_ERROR} at start-up, never a silent
     * wrong answer. The default declares each of {@link #options()} as free text (no check but "known key"), which
     * keeps older plugins working; built-in stages declare real types.
     */
    default List<OptionSpec> optionSpecs() {
        return options().entrySet().stream().map(e -> OptionSpec.text(e.getKey(), e.getValue(), "")).toList();
    }

    /** The manifest id of the model used when the configuration names none, or null if it must be named. */
    default String defaultModel() {
        return null;
    }

    /** Whether this stage runs a network, and so needs a model and an engine. */
    default boolean needsModel() {
        return true;
    }

    S create(StageContext context);
}
