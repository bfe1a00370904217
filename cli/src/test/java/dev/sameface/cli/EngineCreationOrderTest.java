package dev.sameface.cli;

import dev.sameface.pipeline.registry.EngineRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bench and bench-models create their engines through one rule: DJL's OnnxRuntime engine before engine onnxruntime,
 * whatever order the user named them in (the real engines on this class path).
 */
class EngineCreationOrderTest {
    @Test
    void djlOnnxRuntimeIsCreatedBeforeOnnxRuntimeWhateverTheOrderAsked() {
        EngineRegistry registry = EngineRegistry.load();
        List<String> order = registry.creationOrder(List.of("onnxruntime", "openvino", "djl-onnxruntime"));
        assertThat(order).containsExactlyInAnyOrder("onnxruntime", "openvino", "djl-onnxruntime");
        assertThat(order.indexOf("djl-onnxruntime")).isLessThan(order.indexOf("onnxruntime"));
        assertThat(registry.creationOrder(List.of("djl-onnxruntime", "onnxruntime"))).isEqualTo(
                registry.creationOrder(List.of("onnxruntime", "djl-onnxruntime")));
    }
}
