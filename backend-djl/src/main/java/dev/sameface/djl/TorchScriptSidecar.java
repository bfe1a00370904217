package dev.sameface.djl;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.TensorInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What tools/torchscript/export.py writes beside {@code <id>.pt}: the hash of the ONNX file the export came from
 * and the names and declared shapes TorchScript loses. Only the fields the engine needs are read.
 *
 * @param sourceSha256 sha256 of the source ONNX file
 * @param inputs       input names and shapes in forward() argument order (-1 for dynamic dimensions)
 * @param outputs      output names and shapes in the order forward() returns them
 */
record TorchScriptSidecar(String sourceSha256, List<TensorInfo> inputs, List<TensorInfo> outputs) {
    static final String PREPARE = "./sameface models prepare";

    static Path pathFor(Path pt) {
        return pt.resolveSibling(pt.getFileName() + ".json");
    }

    static TorchScriptSidecar read(Path file, String modelId) {
        if (!Files.isRegularFile(file)) {
            throw new FaceException(ErrorCode.MODEL_MISSING, "TorchScript model " + modelId + " has no verification sidecar "
                    + file + "; run: " + PREPARE);
        }
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            List<TensorInfo> inputs = infos(o.getAsJsonArray("input_names"), o.getAsJsonArray("input_shapes"));
            List<TensorInfo> outputs = infos(o.getAsJsonArray("output_names"), o.getAsJsonArray("output_shapes"));
            return new TorchScriptSidecar(o.get("source_sha256").getAsString(), inputs, outputs);
        } catch (IOException | JsonParseException | IllegalStateException | NullPointerException
                 | UnsupportedOperationException e) {
            throw new FaceException(ErrorCode.MODEL_MISSING, "TorchScript sidecar " + file + " is unreadable or from an older "
                    + "tool (" + e.getMessage() + "); delete it and run: " + PREPARE, e);
        }
    }

    private static List<TensorInfo> infos(JsonArray names, JsonArray shapes) {
        List<TensorInfo> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            JsonArray dims = shapes.get(i).getAsJsonArray();
            long[] shape = new long[dims.size()];
            int d = 0;
            for (JsonElement e : dims) {
                shape[d++] = e.getAsLong();
            }
            out.add(new TensorInfo(names.get(i).getAsString(), shape));
        }
        return List.copyOf(out);
    }

    /** The same outputs renamed positionally, keeping the declared shapes where the counts agree. */
    List<TensorInfo> outputsNamed(List<String> names) {
        if (names.isEmpty() || names.equals(outputs.stream().map(TensorInfo::name).toList())) {
            return outputs;
        }
        List<TensorInfo> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            long[] shape = i < outputs.size() ? outputs.get(i).shape() : new long[0];
            out.add(new TensorInfo(names.get(i), shape));
        }
        return List.copyOf(out);
    }
}
