package dev.sameface.djl;

import dev.sameface.api.SamefaceHome;
import dev.sameface.api.engine.InferenceEngineProvider;
import dev.sameface.api.engine.ModelFormat;
import dev.sameface.api.engine.ModelSource;
import dev.sameface.api.engine.Tensor;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

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

    /** How a model's input is made from a photo (as in the manifest), and how its outputs are checked. */
    enum TestModel {
        EMBEDDER("fr-feature-512", "RGB", 127.0, 1 / 128.0, 128),
        ULFG("ulfg-rfb-320", "RGB", 127.0, 1 / 128.0, 0),
        LANDMARKS("fr-landmark-68", "GRAY", 0.0, 1 / 256.0, 120),
        YUNET("yunet-n", "BGR", 0.0, 1.0, 0);

        final String id;
        final String color;
        final double mean;
        final double scale;
        /** Side of the centre square cut from the 250x250 LFW photo first (0: the whole photo). */
        final int crop;

        TestModel(String id, String color, double mean, double scale, int crop) {
            this.id = id;
            this.color = color;
            this.mean = mean;
            this.scale = scale;
            this.crop = crop;
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
                + " fr-feature-512 ulfg-rfb-320 fr-landmark-68 yunet-n=" + shared().resolve("models/yunet_n_dynamic.onnx")
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

    /** count photos of different people spread over LFW, the first photo of each, deterministically. */
    static List<Path> photos(int count) {
        Path lfw = shared().resolve("data/lfw/images_deepfunneled");
        if (!Files.isDirectory(lfw)) {
            fail("LFW photos are missing at " + lfw);
        }
        try (Stream<Path> dirs = Files.list(lfw)) {
            List<Path> people = dirs.filter(Files::isDirectory).sorted().toList();
            int step = Math.max(1, people.size() / count);
            List<Path> out = new ArrayList<>();
            for (int i = 0; i < people.size() && out.size() < count; i += step) {
                try (Stream<Path> files = Files.list(people.get(i))) {
                    files.filter(f -> f.toString().endsWith(".jpg")).sorted().findFirst().ifPresent(out::add);
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + lfw, e);
        }
    }

    /** The model's input made from a photo: optional centre crop, bilinear resize, colour order, (v - mean) * scale. */
    static Tensor input(TestModel m, Path photo, int height, int width) {
        BufferedImage img;
        try {
            img = ImageIO.read(photo.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + photo, e);
        }
        if (m.crop > 0) {
            img = img.getSubimage((img.getWidth() - m.crop) / 2, (img.getHeight() - m.crop) / 2, m.crop, m.crop);
        }
        BufferedImage resized = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = resized.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, width, height, null);
        g.dispose();
        int channels = m.color.equals("GRAY") ? 1 : 3;
        float[] data = new float[channels * height * width];
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = resized.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int gr = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                int i = y * width + x;
                if (channels == 1) {
                    data[i] = (float) ((0.299 * r + 0.587 * gr + 0.114 * b - m.mean) * m.scale);
                } else {
                    boolean bgr = m.color.equals("BGR");
                    data[i] = (float) (((bgr ? b : r) - m.mean) * m.scale);
                    data[plane + i] = (float) ((gr - m.mean) * m.scale);
                    data[2 * plane + i] = (float) (((bgr ? r : b) - m.mean) * m.scale);
                }
            }
        }
        return Tensor.of(data, 1, channels, height, width);
    }
}
