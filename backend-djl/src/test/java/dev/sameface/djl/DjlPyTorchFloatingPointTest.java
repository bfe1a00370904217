package dev.sameface.djl;

import org.junit.jupiter.api.Tag;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.api.engine.Tensor;
import dev.sameface.api.engine.testing.EngineFloatingPointSuite;
import dev.sameface.djl.Fixtures.TestModel;

import java.nio.file.Path;
import java.util.Map;

/**
 * The floating-point rule (docs/floating-point.md) on engine djl-pytorch: caller's mode unchanged, Java stays IEEE,
 * description, option errors. There is no TorchScript of the denormal test model, so this runs the 68-point landmark
 * export on a real LFW crop; the outputs of both settings are in DjlOnnxRuntimeFloatingPointTest's mixed-engine test.
 */
@Tag("slow") // needs the TorchScript export
class DjlPyTorchFloatingPointTest extends EngineFloatingPointSuite {
    @Override
    protected InferenceEngine create(EngineOptions options) {
        return Fixtures.engine(DjlPyTorchEngineProvider.NAME, options);
    }

    @Override
    protected ModelSource model(Path dir) {
        return Fixtures.source(TestModel.LANDMARKS);
    }

    @Override
    protected Map<String, Tensor> input() {
        return landmarkInput();
    }

    static Map<String, Tensor> landmarkInput() {
        return Map.of("input", Fixtures.input(TestModel.LANDMARKS, Fixtures.photos(1).getFirst(), 64, 64));
    }
}
