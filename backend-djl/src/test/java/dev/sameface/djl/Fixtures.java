package dev.sameface.djl;

import dev.sameface.api.SamefaceHome;
import dev.sameface.api.engine.Availability;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.InferenceEngineProvider;
import dev.sameface.api.engine.ModelFormat;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.api.engine.Tensor;
import dev.sameface.pipeline.testing.TestData;
import dev.sameface.torchscript.TorchScriptSidecar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.fail;

/** Real models from the sameface cache, real LFW photos from ../shared, and the inputs each model wants. */
final class Fixtures {
    /**
     * When DJL's engine created ONNX Runtime's environment, engine onnxruntime's later requests for it (other
     * name and log level) make ONNX Runtime's Java binding log a warning on every run; held here, as JUL keeps
     * loggers only weakly.
     */
    private static final Logger ORT_ENVIRONMENT_LOG = Logger.getLogger("ai.onnxruntime.OrtEnvironment");

    static {
        ORT_ENVIRONMENT_LOG.setLevel(Level.SEVERE);
    }

    private Fixtures() {
    }

    /** Loads this class, which quiets the warning above. */
    static void quietOnnxRuntimeEnvironmentWarnings() {
        ORT_ENVIRONMENT_LOG.fine("quiet");
    }

    /** The models the parity tests run; their inputs are prepared from the manifest. */
    enum TestModel {
        EMBEDDER("fr-feature-512"),
        ULFG("ulfg-rfb-320"),
        LANDMARKS("fr-landmark-68"),
        YUNET("yunet-n"),
        /** The default chain's five points; a dynamic batch of transposed [N, 48, 48, 3] crops. */
        ONET("mtcnn-onet");

        final String id;

        TestModel(String id) {
            this.id = id;
        }

        Path onnx() {
            if (this == YUNET) {
                return shared().resolve("models").resolve("yunet_n_dynamic.onnx");
            }
            return SamefaceHome.models().resolve(id).resolve(id + ".onnx");
        }

        Path torchScript() {
            return SamefaceHome.models().resolve(id).resolve(id + ".pt");
        }
    }

    static Path shared() {
        String s = System.getProperty("sameface.shared");
        if (s == null || s.isBlank()) {
            fail("system property sameface.shared is not set; run the tests through Maven (the root pom sets it)");
        }
        return Path.of(s);
    }

    static String prepareCommand() {
        return "tools/torchscript/prepare.sh " + SamefaceHome.resolve()
                + " fr-feature-512 ulfg-rfb-320 fr-landmark-68 mtcnn-onet yunet-n=" + shared().resolve("models/yunet_n_dynamic.onnx")
                + " (or ./sameface models prepare)";
    }

    /** ONNX and TorchScript files of a model; fails (never skips) with what to run when one is missing. */
    static ModelSource source(TestModel m) {
        Path onnx = m.onnx();
        if (!Files.isRegularFile(onnx)) {
            fail("model " + m.id + " is missing at " + onnx + "; run: ./sameface models fetch");
        }
        Path pt = m.torchScript();
        if (!Files.isRegularFile(pt) || !Files.isRegularFile(TorchScriptSidecar.pathFor(pt))) {
            fail("TorchScript export of " + m.id + " is missing at " + pt + "; run the prepare step: " + prepareCommand());
        }
        Map<ModelFormat, Path> files = new EnumMap<>(ModelFormat.class);
        files.put(ModelFormat.ONNX, onnx);
        files.put(ModelFormat.TORCHSCRIPT, pt);
        // No output names: the engine must take them from the export's sidecar, as when no manifest supplies them.
        return new ModelSource(m.id, sha256(onnx), files, List.of());
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash " + file, e);
        }
    }

    static InferenceEngineProvider provider(String name) {
        return ServiceLoader.load(InferenceEngineProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no engine provider named " + name + " on the class path"));
    }

    /** A new engine of that name; fails the test with the reason when the engine is unavailable here. */
    static InferenceEngine engine(String name, EngineOptions options) {
        InferenceEngineProvider provider = provider(name);
        Availability a = provider.availability();
        if (!a.available()) {
            fail(name + " unavailable: " + a.reason());
        }
        return provider.create(options);
    }

    /** count photos of different people spread over LFW, deterministically. */
    static List<Path> photos(int count) {
        return TestData.lfwPhotos(count);
    }

    /** Single-image inputs stacked along the batch dimension, in order. */
    static Tensor batch(List<Tensor> inputs) {
        long[] shape = inputs.getFirst().shape().clone();
        shape[0] = inputs.size();
        Tensor out = Tensor.allocate(shape);
        int at = 0;
        for (Tensor t : inputs) {
            out.buffer().put(at, t.toArray());
            at += t.size();
        }
        return out;
    }

    /** The model's input made from a photo as its manifest entry says (the same preparation the benchmarks use). */
    static Tensor input(TestModel m, Path photo, int height, int width) {
        if (m == TestModel.ONET) {
            return onetCrop(photo, height, width);
        }
        return TestData.modelInput(m.id, photo, width, height);
    }

    /**
     * O-Net on what it is given in the pipeline, a face crop: the photo's centre square (the face on an LFW photo)
     * prepared as the manifest says, then transposed to [1, W, H, 3], x before y, as the network was trained.
     */
    private static Tensor onetCrop(Path photo, int height, int width) {
        var img = dev.sameface.pipeline.image.ImageDecoder.DEFAULT.decode(photo).toRgb();
        var spec = dev.sameface.pipeline.models.ModelManifest.load().model(TestModel.ONET.id).spec(TestModel.ONET.id);
        float[] hwc = dev.sameface.pipeline.image.ModelInputs.fromPhoto(img, false, spec, width, height).toArray();
        float[] whc = new float[hwc.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                System.arraycopy(hwc, (y * width + x) * 3, whc, (x * height + y) * 3, 3);
            }
        }
        return Tensor.of(whc, 1, width, height, 3);
    }
}
