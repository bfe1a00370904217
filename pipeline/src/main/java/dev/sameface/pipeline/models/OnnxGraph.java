package dev.sameface.pipeline.models;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The structure of an ONNX file that {@code models add} reasons about: the graph's real inputs (initializers
 * removed), its outputs, and its nodes (operator and tensor names only). Read with protobuf's generic wire reader
 * field by field from onnx.proto's numbering; weights are skipped, never loaded, so a 250 MB ResNet costs no heap.
 * No engine exposes the nodes (ONNX Runtime and OpenVINO report inputs and outputs only), and the nodes are what
 * tells whether the graph normalises its own input.
 *
 * @param inputs  graph inputs that are fed at run time, in order
 * @param outputs graph outputs, in order
 * @param nodes   nodes in graph order (ONNX requires topological order)
 */
public record OnnxGraph(List<Value> inputs, List<Value> outputs, List<Node> nodes) {
    public OnnxGraph {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        nodes = List.copyOf(nodes);
    }

    /**
     * A graph input or output. {@code dims}: a number for a fixed dimension, -1 for a symbolic or missing one;
     * {@code elemType}: onnx TensorProto.DataType (1 = float).
     */
    public record Value(String name, int elemType, long[] dims) {
        public Value {
            dims = dims.clone();
        }

        @Override
        public long[] dims() {
            return dims.clone();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(name).append('[');
            for (int i = 0; i < dims.length; i++) {
                sb.append(i == 0 ? "" : ",").append(dims[i] < 0 ? "?" : Long.toString(dims[i]));
            }
            return sb.append(']').toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Value v && v.name.equals(name) && v.elemType == elemType && java.util.Arrays.equals(v.dims, dims);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + java.util.Arrays.hashCode(dims);
        }
    }

    /** One node: its operator and the tensors it reads and writes. */
    public record Node(String opType, List<String> inputs, List<String> outputs) {
        public Node {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }
    }

    /** The nodes that read tensor {@code name} directly. */
    public List<Node> consumersOf(String name) {
        return nodes.stream().filter(n -> n.inputs().contains(name)).toList();
    }

    // Field numbers of onnx.proto (ModelProto, GraphProto, NodeProto, ValueInfoProto, TypeProto, TensorShapeProto).
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_OP_TYPE = 4;
    private static final int VALUE_NAME = 1;
    private static final int VALUE_TYPE = 2;
    private static final int TYPE_TENSOR = 1;
    private static final int TENSOR_ELEM_TYPE = 1;
    private static final int TENSOR_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int TENSOR_PROTO_NAME = 8;

    /**
     * Reads the graph of an ONNX file.
     *
     * @throws FaceException MODEL_INCOMPATIBLE when the file is not an ONNX model, IO_ERROR when it cannot be read
     */
    public static OnnxGraph read(Path file) {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CodedInputStream cis = CodedInputStream.newInstance(in);
            cis.setSizeLimit(Integer.MAX_VALUE);
            cis.setRecursionLimit(64);
            OnnxGraph g = null;
            int tag;
            while ((tag = cis.readTag()) != 0) {
                if (WireFormat.getTagFieldNumber(tag) == MODEL_GRAPH && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    int limit = cis.pushLimit(cis.readRawVarint32());
                    g = graph(cis);
                    cis.popLimit(limit);
                } else if (!cis.skipField(tag)) {
                    break;
                }
            }
            if (g == null || g.inputs().isEmpty() || g.outputs().isEmpty()) {
                throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, file + " is not an ONNX model (no graph with inputs and outputs in it)");
            }
            return g;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, file + " is not an ONNX model: " + e.getMessage(), e);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "model file not found: " + file, e);
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static OnnxGraph graph(CodedInputStream in) throws IOException {
        List<Node> nodes = new ArrayList<>();
        List<Value> inputs = new ArrayList<>();
        List<Value> outputs = new ArrayList<>();
        Set<String> initializers = new HashSet<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED
                    || field != GRAPH_NODE && field != GRAPH_INITIALIZER && field != GRAPH_INPUT && field != GRAPH_OUTPUT) {
                in.skipField(tag);
                continue;
            }
            int limit = in.pushLimit(in.readRawVarint32());
            switch (field) {
                case GRAPH_NODE -> nodes.add(node(in));
                case GRAPH_INITIALIZER -> initializers.add(tensorName(in));
                case GRAPH_INPUT -> inputs.add(value(in));
                default -> outputs.add(value(in));
            }
            // Whatever the sub-reader left (weights' raw data after the name) is skipped here.
            in.skipRawBytes(in.getBytesUntilLimit());
            in.popLimit(limit);
        }
        // Older exports list every weight among the inputs as well; only what is fed at run time is an input.
        inputs.removeIf(v -> initializers.contains(v.name()));
        return new OnnxGraph(inputs, outputs, nodes);
    }

    private static Node node(CodedInputStream in) throws IOException {
        List<String> ins = new ArrayList<>();
        List<String> outs = new ArrayList<>();
        String op = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case NODE_INPUT -> ins.add(in.readStringRequireUtf8());
                case NODE_OUTPUT -> outs.add(in.readStringRequireUtf8());
                case NODE_OP_TYPE -> op = in.readStringRequireUtf8();
                default -> in.skipField(tag);
            }
        }
        return new Node(op, ins, outs);
    }

    private static String tensorName(CodedInputStream in) throws IOException {
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == TENSOR_PROTO_NAME) {
                return in.readStringRequireUtf8();
            }
            in.skipField(tag);
        }
        return "";
    }

    private static Value value(CodedInputStream in) throws IOException {
        String name = "";
        int elem = 0;
        List<Long> dims = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == VALUE_NAME) {
                name = in.readStringRequireUtf8();
            } else if (field == VALUE_TYPE) {
                int typeLimit = in.pushLimit(in.readRawVarint32());
                while ((tag = in.readTag()) != 0) {
                    if (WireFormat.getTagFieldNumber(tag) != TYPE_TENSOR) {
                        in.skipField(tag);
                        continue;
                    }
                    int tensorLimit = in.pushLimit(in.readRawVarint32());
                    while ((tag = in.readTag()) != 0) {
                        switch (WireFormat.getTagFieldNumber(tag)) {
                            case TENSOR_ELEM_TYPE -> elem = in.readInt32();
                            case TENSOR_SHAPE -> {
                                int shapeLimit = in.pushLimit(in.readRawVarint32());
                                while ((tag = in.readTag()) != 0) {
                                    if (WireFormat.getTagFieldNumber(tag) == SHAPE_DIM) {
                                        int dimLimit = in.pushLimit(in.readRawVarint32());
                                        dims.add(dim(in));
                                        in.popLimit(dimLimit);
                                    } else {
                                        in.skipField(tag);
                                    }
                                }
                                in.popLimit(shapeLimit);
                            }
                            default -> in.skipField(tag);
                        }
                    }
                    in.popLimit(tensorLimit);
                }
                in.popLimit(typeLimit);
            } else {
                in.skipField(tag);
            }
        }
        return new Value(name, elem, dims.stream().mapToLong(Long::longValue).toArray());
    }

    /** A dimension's value; -1 for a symbolic one (dim_param) or none. */
    private static long dim(CodedInputStream in) throws IOException {
        long v = -1;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == DIM_VALUE && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                long d = in.readInt64();
                v = d > 0 ? d : -1;
            } else {
                in.skipField(tag);
            }
        }
        return v;
    }
}
