package dev.sameface.openvino;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.Availability;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.InferenceEngineProvider;
import dev.sameface.openvino.binding.OpenVino;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Registers OpenVINO as engine {@code openvino}. Ranked below ONNX Runtime (100) so that it is used when named,
 * or by {@code auto} when measured faster, never silently by default. Constructing it loads nothing.
 */
public final class OpenVinoEngineProvider implements InferenceEngineProvider {
    public static final String NAME = "openvino";

    /** Null: resolve {@link OpenVinoRuntime#directory()} at each call, so that set-up during a run is noticed. */
    private final Path runtimeDirectory;

    public OpenVinoEngineProvider() {
        this(null);
    }

    /** A provider that uses the OpenVINO libraries in {@code runtimeDirectory} instead of the default location. */
    public OpenVinoEngineProvider(Path runtimeDirectory) {
        this.runtimeDirectory = runtimeDirectory;
    }

    private Path directory() {
        return runtimeDirectory != null ? runtimeDirectory : OpenVinoRuntime.directory();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int rank() {
        return 90;
    }

    @Override
    public Availability availability() {
        try {
            Optional<String> problem = OpenVino.probe(directory());
            return problem.map(Availability::unavailable).orElseGet(Availability::ok);
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("OpenVINO runtime in " + directory() + " failed to load: " + e);
        }
    }

    @Override
    public InferenceEngine create(EngineOptions options) {
        OpenVino ov;
        try {
            ov = OpenVino.load(directory());
        } catch (LinkageError e) {
            throw new FaceException(ErrorCode.ENGINE_UNAVAILABLE,
                    "OpenVINO runtime in " + directory() + " failed to load: " + e, e);
        }
        return new OpenVinoEngine(ov, options);
    }
}
