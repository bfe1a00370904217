package dev.sameface.stages;

import dev.sameface.api.Box;
import dev.sameface.api.Image;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.api.engine.Tensor;
import dev.sameface.kit.testing.LfwPhotos;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.image.ImageDecoder;
import dev.sameface.pipeline.models.ModelManifest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * O-Net's input as the default detector's landmark stage prepares it ({@link OnetPoints}): the square crop around the
 * box the default pipeline finds on an LFW photo, box-filtered to 48x48, normalised and transposed into O-Net's
 * reused [1, 48, 48, 3] tensor. It lives in the stages' package because that crop path is package-private; the
 * benchmarks module is on no other module's class path. The models must be fetched (./sameface models fetch).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OnetCropBenchmark {
    private static final int SIDE = 48;
    private Image photo;
    private List<MtcnnDetector.Window> square;
    private MtcnnDetector.Net onet;
    private final Tensor input = Tensor.allocate(1, SIDE, SIDE, 3);
    private final AreaResample filter = new AreaResample();

    @Setup
    public void setUp() {
        Path path = LfwPhotos.paths(1).getFirst();
        Box box;
        try (FacePipeline p = Pipelines.create(PipelineConfig.defaults())) {
            box = p.enrol(path).selected().box();
        }
        photo = ImageDecoder.DEFAULT.decode(path).toRgb();
        square = List.of(new MtcnnDetector.Window(box.x(), box.y(), box.x() + box.width(), box.y() + box.height(), 0, null).squared());
        ModelSpec spec = ModelManifest.load().model("mtcnn-onet").spec("mtcnn-onet");
        // Crop preparation reads the spec and the input name only; the model itself runs in no benchmark here.
        onet = new MtcnnDetector.Net("mtcnn-onet", null, spec, "input_3");
    }

    @Benchmark
    public Tensor onet48x48() {
        MtcnnDetector.crops(photo, square, SIDE, onet, input, filter);
        return input;
    }
}
