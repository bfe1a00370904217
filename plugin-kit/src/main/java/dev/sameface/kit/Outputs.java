package dev.sameface.kit;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Checks a model's declared inputs and outputs once at load, and fetches outputs by name with a clear error:
 * the MODEL_INCOMPATIBLE messages every stage plugin needs, for built-in and third-party plugins alike.
 */
public final class Outputs {
    private Outputs() {
    }

    public static void require(String modelId, CompiledModel model, List<String> inputs, List<String> outputs) {
        List<String> haveIn = model.inputs().stream().map(t -> t.name()).toList();
        List<String> haveOut = model.outputs().stream().map(t -> t.name()).toList();
        if (!haveIn.containsAll(inputs) || !haveOut.containsAll(outputs)) {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "model " + modelId + " has inputs " + haveIn + " and outputs " + haveOut
                    + "; this plugin needs inputs " + inputs + " and outputs " + outputs);
        }
    }

    public static Tensor get(Map<String, Tensor> out, String name, String modelId) {
        Tensor t = out.get(name);
        if (t == null) {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "model " + modelId + " gave no output '" + name + "' (gave " + out.keySet() + ")");
        }
        return t;
    }
}
