package dev.sameface.api;

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

    /** Every option this stage understands, with its default as a string; other keys are rejected. */
    default Map<String, String> options() {
        return Map.of();
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
