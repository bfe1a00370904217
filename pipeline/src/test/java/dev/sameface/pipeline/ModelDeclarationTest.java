package dev.sameface.pipeline;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.SamefaceHome;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.api.engine.Tensor;
import dev.sameface.pipeline.models.ModelDeclaration;
import dev.sameface.pipeline.models.ModelManifest;
import dev.sameface.pipeline.models.OnnxGraph;
import dev.sameface.pipeline.models.Sha256;
import dev.sameface.pipeline.registry.EngineRegistry;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What models add proves from a graph, on the real model files of the cache and ../shared/models. */
class ModelDeclarationTest {
    @TempDir
    Path dir;

    private static Path cached(String id) {
        Path p = SamefaceHome.resolve().resolve("models").resolve(id).resolve(id + ".onnx");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " is missing; run: ./sameface models fetch");
        }
        return p;
    }

    @Test
    void theDefaultEmbedderIsAnNchwGraphThatDoesNotNormaliseItsInput() {
        OnnxGraph g = OnnxGraph.read(cached("fr-feature-512"));
        assertThat(g.inputs()).hasSize(1);
        assertThat(g.inputs().getFirst().name()).isEqualTo("input");
        assertThat(g.inputs().getFirst().dims()).containsExactly(1, 3, 112, 112);
        assertThat(g.outputs().getFirst().dims()).containsExactly(1, 512);

        ModelDeclaration d = ModelDeclaration.examine(cached("fr-feature-512"), "embedder", null);
        assertThat(d.plugin()).isEqualTo("arcface");
        assertThat(d.normalises()).isFalse();
        assertThat(d.input().layout()).isEqualTo(ModelSpec.Layout.NCHW);
        assertThat(d.input().width()).isEqualTo(112);
        assertThat(d.unproven()).containsExactlyInAnyOrder("color", "mean-scale");

        // Byte-identical to the built-in model: its measured feeding is proven by identity.
        ModelManifest manifest = ModelManifest.load();
        ModelDeclaration known = d.knownAs(Sha256.of(cached("fr-feature-512")), manifest);
        ModelManifest.Input builtIn = manifest.model("fr-feature-512").input();
        assertThat(known.unproven()).isEmpty();
        assertThat(known.input().color()).isEqualTo(builtIn.color());
        assertThat(known.input().mean()).isEqualTo(builtIn.mean());
        assertThat(known.input().scale()).isEqualTo(builtIn.scale());
    }

    @Test
    void detectorFamiliesAreRecognisedByTheirOutputs() {
        Path models = TestData.sharedModels();
        assertThat(ModelDeclaration.examine(models.resolve("scrfd_500m_bnkps.onnx"), "detector", null).plugin()).isEqualTo("scrfd");
        ModelDeclaration yunet = ModelDeclaration.examine(models.resolve("yunet_n_dynamic.onnx"), "detector", null);
        assertThat(yunet.plugin()).isEqualTo("yunet");
        assertThat(yunet.input().color()).isEqualTo(ModelSpec.ColorOrder.BGR);
        assertThat(yunet.input().width()).as("dynamic").isZero();
        assertThat(ModelDeclaration.examine(cached("ulfg-rfb-320"), "detector", null).plugin()).isEqualTo("ultralight");
        assertThatThrownBy(() -> ModelDeclaration.examine(models.resolve("retinaface_mnet025.onnx"), "detector", null))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INCOMPATIBLE));
        // Named, an unknown family is accepted and its feeding left unproven.
        ModelDeclaration named = ModelDeclaration.examine(models.resolve("retinaface_mnet025.onnx"), "detector", "retinaface");
        assertThat(named.plugin()).isEqualTo("retinaface");
        assertThat(named.unproven()).contains("color", "mean-scale");
    }

    @Test
    void layoutAndGreyInputAreReadFromTheShape() {
        ModelDeclaration onet = ModelDeclaration.examine(TestData.sharedModels().resolve("mtcnn_onet.onnx"), "landmarks", null);
        assertThat(onet.input().layout()).isEqualTo(ModelSpec.Layout.NHWC);
        assertThat(onet.input().width()).isEqualTo(48);
        ModelDeclaration grey = ModelDeclaration.examine(cached("fr-landmark-68"), "landmarks", null);
        assertThat(grey.input().color()).isEqualTo(ModelSpec.ColorOrder.GRAY);
        assertThat(grey.unproven()).containsExactly("mean-scale");
    }

    /**
     * A graph that normalises its own input, InsightFace-style (Sub, Mul on the raw input), written as real ONNX bytes
     * and checked by running it on ONNX Runtime: the declaration feeds it 0..255 and says why.
     */
    @Test
    void aGraphThatNormalisesItsInputIsFedRawPixels() throws Exception {
        Path file = dir.resolve("normalising.onnx");
        Files.write(file, normalisingModel());
        try (InferenceEngine engine = EngineRegistry.load().get("onnxruntime").create(EngineOptions.singleThreaded());
             CompiledModel m = engine.load(ModelSource.onnx("normalising", Sha256.of(file), file))) {
            float[] px = new float[3 * 112 * 112];
            java.util.Arrays.fill(px, 255f);
            float[] out = m.run(Map.of("pixels", Tensor.of(px, 1, 3, 112, 112))).get("embedding").toArray();
            assertThat(out).as("(255 - 127.5) / 127.5 per channel, computed inside the graph").containsOnly(1f);
        }
        ModelDeclaration d = ModelDeclaration.examine(file, "embedder", null);
        assertThat(d.normalises()).isTrue();
        assertThat(d.input().mean()).isZero();
        assertThat(d.input().scale()).isEqualTo(1.0);
        assertThat(d.unproven()).containsExactly("color");
        assertThat(d.evidence()).anyMatch(e -> e.contains("normalises its input itself (Sub on the raw input)"));
    }

    /** pixels[1,3,112,112] -> Sub(127.5) -> Mul(1/127.5) -> GlobalAveragePool -> Flatten -> embedding[1,3]. */
    private static byte[] normalisingModel() throws IOException {
        ByteString graph = message(o -> {
            o.writeBytes(1, node("Sub", new String[]{"pixels", "mean"}, "centred"));
            o.writeBytes(1, node("Mul", new String[]{"centred", "scale"}, "scaled"));
            o.writeBytes(1, node("GlobalAveragePool", new String[]{"scaled"}, "pooled"));
            o.writeBytes(1, node("Flatten", new String[]{"pooled"}, "embedding"));
            o.writeString(2, "normalising");
            o.writeBytes(5, scalar("mean", 127.5f));
            o.writeBytes(5, scalar("scale", (float) (1 / 127.5)));
            o.writeBytes(11, value("pixels", 1, 3, 112, 112));
            o.writeBytes(12, value("embedding", 1, 3));
        });
        return message(o -> {
            o.writeInt64(1, 8); // ir_version
            o.writeBytes(7, graph);
            o.writeBytes(8, message(op -> op.writeInt64(2, 13))); // opset_import: default domain, opset 13
        }).toByteArray();
    }

    private interface Writer {
        void write(CodedOutputStream o) throws IOException;
    }

    private static ByteString message(Writer w) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream o = CodedOutputStream.newInstance(bytes);
        w.write(o);
        o.flush();
        return ByteString.copyFrom(bytes.toByteArray());
    }

    private static ByteString node(String op, String[] inputs, String output) throws IOException {
        return message(o -> {
            for (String i : inputs) {
                o.writeString(1, i);
            }
            o.writeString(2, output);
            o.writeString(4, op);
        });
    }

    private static ByteString scalar(String name, float v) throws IOException {
        return message(o -> {
            o.writeInt32(2, 1); // float
            o.writeFloat(4, v);
            o.writeString(8, name);
        });
    }

    private static ByteString value(String name, long... dims) throws IOException {
        ByteString shape = message(o -> {
            for (long d : dims) {
                o.writeBytes(1, message(dim -> dim.writeInt64(1, d)));
            }
        });
        ByteString tensor = message(o -> {
            o.writeInt32(1, 1);
            o.writeBytes(2, shape);
        });
        return message(o -> {
            o.writeString(1, name);
            o.writeBytes(2, message(t -> t.writeBytes(1, tensor)));
        });
    }
}
