package dev.sameface.pipeline.registry;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.InferenceEngineProvider;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The inference engines on the class path, found with {@link ServiceLoader} exactly as in production. */
public final class EngineRegistry {
    public static final String AUTO = "auto";
    private final Map<String, InferenceEngineProvider> providers;

    public EngineRegistry(Iterable<InferenceEngineProvider> found) {
        Map<String, InferenceEngineProvider> m = new TreeMap<>();
        for (InferenceEngineProvider p : found) {
            InferenceEngineProvider previous = m.put(p.name(), p);
            if (previous != null) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, "two engines named '" + p.name() + "': "
                        + previous.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        this.providers = Map.copyOf(m);
    }

    public static EngineRegistry load() {
        return new EngineRegistry(ServiceLoader.load(InferenceEngineProvider.class));
    }

    public List<InferenceEngineProvider> all() {
        return providers.values().stream().sorted(Comparator.comparing(InferenceEngineProvider::rank).reversed()).toList();
    }

    /**
     * The provider of that name, or for {@code auto} the best-ranked available one. An unknown name or an
     * unavailable engine fails with the list of engines and why each is or is not available.
     */
    public InferenceEngineProvider get(String name) {
        if (AUTO.equals(name)) {
            return all().stream().filter(InferenceEngineProvider::isAvailable).findFirst()
                    .orElseThrow(() -> new FaceException(ErrorCode.ENGINE_UNAVAILABLE, "no inference engine is available: " + listing()));
        }
        InferenceEngineProvider p = providers.get(name);
        if (p == null) {
            throw new FaceException(ErrorCode.UNKNOWN_NAME, "unknown engine '" + name + "'; known engines: " + listing());
        }
        var availability = p.availability();
        if (!availability.available()) {
            throw new FaceException(ErrorCode.ENGINE_UNAVAILABLE, "engine '" + name + "' is not available: " + availability.reason());
        }
        return p;
    }

    /**
     * The order in which engines that one process uses must be created: lowest rank first, because DJL's
     * OnnxRuntime engine must create ONNX Runtime's process-wide environment before engine onnxruntime does (the
     * other way round, DJL fails; see each provider's availability). {@code auto} is ranked as the engine it
     * resolves to; an unknown name fails as in {@link #get}.
     */
    public List<String> creationOrder(java.util.Collection<String> names) {
        return names.stream().sorted(Comparator.comparingInt(n -> find(n).orElseGet(() -> get(n)).rank())).toList();
    }

    /** The provider of that name when it is on the class path, whether available or not; never throws. */
    public Optional<InferenceEngineProvider> find(String name) {
        return Optional.ofNullable(name == null ? null : providers.get(name));
    }

    /** e.g. {@code onnxruntime (available), openvino (not available: ...)} */
    public String listing() {
        if (providers.isEmpty()) {
            return "(none on the class path)";
        }
        return all().stream().map(p -> {
            var a = p.availability();
            return p.name() + (a.available() ? " (available)" : " (not available: " + a.reason() + ")");
        }).collect(Collectors.joining(", "));
    }
}
