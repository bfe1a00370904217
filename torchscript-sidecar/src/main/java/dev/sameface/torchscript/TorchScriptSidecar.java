package dev.sameface.torchscript;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * and the names and declared shapes TorchScript loses. Only the fields sameface needs are read; the model cache
 * (which exports it offers) and the djl-pytorch engine (what it loads) read it here, with one parser.
 *
 * @param sourceSha256 sha256 of the source ONNX file
 * @param inputs       input names and shapes in forward() argument order (-1 for dynamic dimensions)
 * @param outputs      output names and shapes in the order forward() returns them
 */
public record TorchScriptSidecar(String sourceSha256, List<TensorInfo> inputs, List<TensorInfo> outputs) {
    public static final String PREPARE = "./sameface models prepare";

    /** {@code <id>.pt.json} beside {@code <id>.pt}. */
    public static Path pathFor(Path pt) {
        return pt.resolveSibling(pt.getFileName() + ".json");
    }

    /** The sidecar's facts; MODEL_MISSING saying what to run when it is absent, unreadable or incomplete. */
    public static TorchScriptSidecar read(Path file, String modelId) {
        if (!Files.isRegularFile(file)) {
            throw new FaceException(ErrorCode.MODEL_MISSING, "TorchScript model " + modelId + " has no verification sidecar "
                    + file + "; run: " + PREPARE);
        }
        try {
            JsonNode o = new ObjectMapper().readTree(file.toFile());
            List<TensorInfo> inputs = infos(required(o, "input_names"), required(o, "input_shapes"));
            List<TensorInfo> outputs = infos(required(o, "output_names"), required(o, "output_shapes"));
            return new TorchScriptSidecar(required(o, "source_sha256").asText(), inputs, outputs);
        } catch (IOException | IllegalArgumentException e) {
            throw new FaceException(ErrorCode.MODEL_MISSING, "TorchScript sidecar " + file + " is unreadable or from an older "
                    + "tool (" + e.getMessage() + "); delete it and run: " + PREPARE, e);
        }
    }

    private static JsonNode required(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException("no '" + field + "'");
        }
        return n;
    }

    private static List<TensorInfo> infos(JsonNode names, JsonNode shapes) {
        if (!names.isArray() || !shapes.isArray() || names.size() != shapes.size()) {
            throw new IllegalArgumentException("names and shapes are not two lists of one length");
        }
        List<TensorInfo> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            JsonNode dims = shapes.get(i);
            long[] shape = new long[dims.size()];
            for (int d = 0; d < shape.length; d++) {
                if (!dims.get(d).isIntegralNumber()) {
                    throw new IllegalArgumentException("shape " + dims + " is not a list of integers");
                }
                shape[d] = dims.get(d).asLong();
            }
            out.add(new TensorInfo(names.get(i).asText(), shape));
        }
        return List.copyOf(out);
    }

    /** The output names, in order. */
    public List<String> outputNames() {
        return outputs.stream().map(TensorInfo::name).toList();
    }

    /** The same outputs renamed positionally, keeping the declared shapes where the counts agree. */
    public List<TensorInfo> outputsNamed(List<String> names) {
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
