package dev.sameface.openvino;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The graph input and output names of an ONNX file, read straight from its protobuf encoding
 * ({@code ModelProto.graph = 7}, {@code GraphProto.input = 11}, {@code .output = 12}, {@code ValueInfoProto.name = 1}).
 *
 * <p>Why: OpenVINO may give one output tensor several names (YuNet's {@code cls_8} is also {@code 330}) and its C API
 * exposes only {@code ov_port_get_any_name}, which can return the internal one. The ONNX names are the ones every
 * other engine and the stage plugins use, so the engine looks ports up by these names.
 */
record OnnxGraphNames(List<String> inputs, List<String> outputs) {
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int VALUE_INFO_NAME = 1;

    static OnnxGraphNames read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer model = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            List<String> inputs = new ArrayList<>();
            List<String> outputs = new ArrayList<>();
            ByteBuffer graph = field(model, MODEL_GRAPH);
            if (graph == null) {
                throw new IOException("no graph in " + file);
            }
            while (graph.hasRemaining()) {
                long key = varint(graph);
                int number = (int) (key >>> 3);
                int wire = (int) (key & 7);
                if (wire == 2 && (number == GRAPH_INPUT || number == GRAPH_OUTPUT)) {
                    ByteBuffer valueInfo = slice(graph);
                    ByteBuffer name = field(valueInfo, VALUE_INFO_NAME);
                    if (name != null) {
                        (number == GRAPH_INPUT ? inputs : outputs).add(StandardCharsets.UTF_8.decode(name).toString());
                    }
                } else {
                    skip(graph, wire);
                }
            }
            return new OnnxGraphNames(List.copyOf(inputs), List.copyOf(outputs));
        } catch (IllegalArgumentException | IndexOutOfBoundsException | java.nio.BufferUnderflowException | ArithmeticException e) {
            throw new IOException("not a readable ONNX protobuf: " + file + " (" + e.getMessage() + ")", e);
        }
    }

    /** The first length-delimited field {@code number} of a message, or null. */
    private static ByteBuffer field(ByteBuffer message, int number) {
        ByteBuffer m = message.duplicate();
        while (m.hasRemaining()) {
            long key = varint(m);
            int wire = (int) (key & 7);
            if (wire == 2 && (key >>> 3) == number) {
                return slice(m);
            }
            skip(m, wire);
        }
        return null;
    }

    private static ByteBuffer slice(ByteBuffer b) {
        int length = Math.toIntExact(varint(b));
        ByteBuffer s = b.slice(b.position(), length);
        b.position(b.position() + length);
        return s;
    }

    private static void skip(ByteBuffer b, int wire) {
        switch (wire) {
            case 0 -> varint(b);
            case 1 -> b.position(b.position() + 8);
            case 2 -> {
                int length = Math.toIntExact(varint(b));
                b.position(b.position() + length);
            }
            case 5 -> b.position(b.position() + 4);
            default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wire);
        }
    }

    private static long varint(ByteBuffer b) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte x = b.get();
            value |= (long) (x & 0x7f) << shift;
            if (x >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("malformed varint");
    }
}
