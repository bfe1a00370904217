package dev.sameface.stages;

import dev.sameface.api.Image;
import dev.sameface.api.StageOptions;
import dev.sameface.api.engine.Tensor;
import dev.sameface.kit.TensorPacker;
import dev.sameface.kit.testing.LfwPhotos;
import dev.sameface.pipeline.image.ImageDecoder;
import dev.sameface.pipeline.models.ModelManifest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Ultra-Light's 1x3x240x320 input as the default detector packs it: an LFW photo framed by {@link Framing} with the
 * plugin's defaults (today: aspect ratio kept, margin 0.3 of the longer side), so most of the input lies beyond the photo.
 * TensorBenchmark's detector320x240 is the photo stretched to the input (the chain before, and detectors without
 * framing). In the stages' package because Framing is package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FramedInputBenchmark {
    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;
    private Image photo;
    private Framing.Region region;
    private TensorPacker packer;

    @Setup
    public void setUp() {
        photo = ImageDecoder.DEFAULT.decode(LfwPhotos.paths(1).getFirst()).toRgb();
        // The plugin's defaults as its provider declares them, so the benchmark follows any change to them.
        StageOptions defaults = StageOptions.of("detector ultralight", new Providers.UltraLight().optionSpecs(), Map.of());
        Framing framing = Providers.framing(defaults, defaults.flag("letterbox"));
        region = framing.region(photo.width(), photo.height(), framing.margin(), (double) WIDTH / HEIGHT);
        packer = new TensorPacker(ModelManifest.load().model("ulfg-rfb-320").spec("ulfg-rfb-320"));
    }

    @Benchmark
    public Tensor framed320x240() {
        return packer.pack(photo, region.x(), region.y(), region.width(), region.height(), WIDTH, HEIGHT);
    }
}
