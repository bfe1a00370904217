package dev.sameface.api.engine.testing;

import dev.sameface.api.engine.ModelSource;
import dev.sameface.api.engine.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A one-node ONNX model, {@code y = x * c} with {@code c = [1e-20, 1e20]}, written by the test itself (no model file
 * is committed). Fed {@code x = [1e-20, MIN_NORMAL/4]}: the first product is denormal unless results are flushed
 * (FTZ), the second is a normal number unless denormal inputs are read as zero (DAZ).
 */
public final class DenormalModel {
    public static final String INPUT = "x";
    public static final String OUTPUT = "y";
    /** Squared, below Float.MIN_NORMAL: a denormal result. */
    public static final float TINY = 1e-20f;
    /** A denormal input; times {@link #HUGE} it is a normal number again. */
    public static final float SUBNORMAL = Float.MIN_NORMAL / 4;
    public static final float HUGE = 1e20f;

    private static final int FLOAT = 1;
    private static final int IR_VERSION = 8;
    private static final int OPSET = 13;

    private DenormalModel() {
    }

    /** Writes the model into {@code dir} and returns it as an ONNX model source. */
    public static ModelSource write(Path dir) throws IOException {
        Path file = dir.resolve("denormal-mul.onnx");
        Files.write(file, bytes());
        return ModelSource.onnx("denormal-mul", "", file);
    }

    public static Map<String, Tensor> input() {
        return Map.of(INPUT, Tensor.of(new float[] {TINY, SUBNORMAL}, 2));
    }

    /** The IEEE products, computed by Java on the calling thread (which must not be flushing). */
    public static float[] ieeeOutput() {
        return new float[] {TINY * TINY, SUBNORMAL * HUGE};
    }

    static byte[] bytes() {
        ByteBuffer constant = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(TINY).putFloat(HUGE);
        Proto initializer = new Proto().varint(1, 2).varint(2, FLOAT).string(8, "c").bytes(9, constant.array());
        Proto node = new Proto().string(1, INPUT).string(1, "c").string(2, OUTPUT).string(3, "mul").string(4, "Mul");
        Proto graph = new Proto().message(1, node).string(2, "denormal_mul").message(5, initializer)
                .message(11, vector(INPUT)).message(12, vector(OUTPUT));
        return new Proto().varint(1, IR_VERSION).string(2, "sameface-test").message(7, graph)
                .message(8, new Proto().varint(2, OPSET)).toByteArray();
    }

    /** ValueInfoProto of a float tensor of shape [2]: TypeProto.tensor_type {elem_type, shape {dim {dim_value}}}. */
    private static Proto vector(String name) {
        Proto shape = new Proto().message(1, new Proto().varint(1, 2));
        Proto tensorType = new Proto().varint(1, FLOAT).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** Protobuf wire format, just the varint and length-delimited fields ONNX needs here. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            raw((long) field << 3);
            raw(value);
            return this;
        }

        Proto bytes(int field, byte[] value) {
            raw((long) field << 3 | 2);
            raw(value.length);
            out.writeBytes(value);
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto value) {
            return bytes(field, value.toByteArray());
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private void raw(long value) {
            long v = value;
            while ((v & ~0x7fL) != 0) {
                out.write((int) (v & 0x7f) | 0x80);
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
