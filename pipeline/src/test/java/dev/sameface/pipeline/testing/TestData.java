package dev.sameface.pipeline.testing;

import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.config.StageConfig;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.models.ModelManifest;
import dev.sameface.api.SamefaceHome;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the real test data and models are. Everything here fails loudly with the remedy when something is missing:
 * a test that needs LFW or a model must never pass by skipping.
 */
public final class TestData {
    private TestData() {
    }

    /** ../shared, as the build passes it ({@code -Dsameface.shared}). */
    public static Path shared() {
        String p = System.getProperty("sameface.shared");
        Path dir = p != null ? Path.of(p) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("..", "shared");
        }
        if (!Files.isDirectory(dir.resolve("data").resolve("lfw"))) {
            throw new IllegalStateException("LFW not found under " + dir.toAbsolutePath() + "/data/lfw: tests read real photos from "
                    + "../shared next to the checkout (run them from the repository root with mvn, which sets -Dsameface.shared)");
        }
        return dir.toAbsolutePath().normalize();
    }

    public static Path lfwImages() {
        return shared().resolve("data/lfw/images_deepfunneled");
    }

    public static Path lfw(String name, int index) {
        Path p = lfwImages().resolve(name).resolve(String.format("%s_%04d.jpg", name, index));
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("LFW photo missing: " + p);
        }
        return p;
    }

    /** A photo of ../shared/data/cfp-dev (CFP's development identities): {@code kind} is frontal or profile. */
    public static Path cfpDev(int identity, String kind, int index) {
        Path p = shared().resolve("data/cfp-dev").resolve(String.format("%03d/%s/%02d.jpg", identity, kind, index));
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("CFP photo missing: " + p + " (../shared/data/cfp-dev is part of the shared test data)");
        }
        return p;
    }

    public static Path pairsFile() {
        return shared().resolve("data/lfw/pairs.txt");
    }

    /** The detectors in ../shared/models, which tests may use by path (never a product default). */
    public static Path sharedModels() {
        return shared().resolve("models");
    }

    /** The standard cache plus ../shared/models as a local model directory, so YuNet configs resolve. */
    public static ModelCache cache() {
        return new ModelCache(ModelManifest.load(), SamefaceHome.resolve(), List.of(sharedModels()));
    }

    /** {@code count} LFW photos of different people (each one's first), spread over the alphabet. */
    public static List<Path> lfwPhotos(int count) {
        shared(); // the remedy when LFW is missing
        return dev.sameface.kit.testing.LfwPhotos.paths(count);
    }

    /** Read once: parity tests prepare hundreds of inputs, and the manifest does not change during a run. */
    private static final ModelManifest MANIFEST = ModelManifest.load();

    /** A real photo prepared as model {@code modelId}'s manifest entry says, at its input size. */
    public static dev.sameface.api.engine.Tensor modelInput(String modelId, Path photo) {
        var spec = MANIFEST.model(modelId).spec(modelId);
        return modelInput(modelId, photo, spec.width(), spec.height());
    }

    /** The same at a given size, for models with a dynamic input (YuNet). */
    public static dev.sameface.api.engine.Tensor modelInput(String modelId, Path photo, int width, int height) {
        var entry = MANIFEST.model(modelId);
        var img = dev.sameface.pipeline.image.ImageDecoder.DEFAULT.decode(photo).toRgb();
        return dev.sameface.pipeline.image.ModelInputs.fromPhoto(img, "detector".equals(entry.task()), entry.spec(modelId), width, height);
    }

    public static PipelineConfig defaultConfig() {
        return PipelineConfig.defaults();
    }

    public static PipelineConfig yunetConfig() {
        return PipelineConfig.defaults().withDetector(new StageConfig("yunet", "yunet-n", null, Map.of()));
    }

    public static FacePipeline pipeline(PipelineConfig config) {
        return Pipelines.create(config, cache());
    }
}
