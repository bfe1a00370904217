package dev.sameface.benchmarks;

import dev.sameface.api.Image;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.api.engine.Tensor;
import dev.sameface.pipeline.image.ImageDecoder;
import dev.sameface.kit.TensorPacker;
import dev.sameface.pipeline.models.ModelManifest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Model input preparation as the stages do it, with each model's manifest spec, on a decoded LFW photo: the
 * detector's 1x3x240x320 from the whole 250x250 photo, the landmark model's 1x1x64x64 grey face box, and the
 * embedder's 1x3x112x112 BGR from a 112x112 crop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TensorBenchmark {
    private Image photo;
    private Image crop;
    private TensorPacker detector;
    private TensorPacker landmarks;
    private TensorPacker embedder;

    @Setup
    public void setUp() {
        photo = ImageDecoder.DEFAULT.decode(Lfw.jpegs(1).getFirst(), "lfw").toRgb();
        crop = PhotoCrops.centre112(photo);
        ModelManifest manifest = ModelManifest.load();
        detector = new TensorPacker(spec(manifest, "ulfg-rfb-320"));
        landmarks = new TensorPacker(spec(manifest, "fr-landmark-68"));
        embedder = new TensorPacker(spec(manifest, "fr-feature-512"));
    }

    private static ModelSpec spec(ModelManifest manifest, String id) {
        return manifest.model(id).spec(id);
    }

    @Benchmark
    public Tensor detector320x240() {
        return detector.pack(photo, 0, 0, photo.width(), photo.height(), 320, 240);
    }

    @Benchmark
    public Tensor landmarks64x64Grey() {
        return landmarks.pack(photo, 71, 64, 109, 121, 64, 64);
    }

    @Benchmark
    public Tensor embedder112x112() {
        return embedder.pack(crop, 0, 0, 112, 112, 112, 112);
    }
}
