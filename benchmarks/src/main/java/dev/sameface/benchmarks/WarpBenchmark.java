package dev.sameface.benchmarks;

import dev.sameface.api.AlignedFace;
import dev.sameface.api.Image;
import dev.sameface.pipeline.image.ImageDecoder;
import dev.sameface.stages.SimilarityAligner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/** Five-point similarity alignment to a 112x112 crop (estimate + bilinear warp) of an LFW face. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WarpBenchmark {
    private Image photo;
    private SimilarityAligner aligner;

    @Setup
    public void setUp() {
        photo = ImageDecoder.DEFAULT.decode(Lfw.jpegs(1).getFirst(), "lfw").toRgb();
        aligner = new SimilarityAligner(112);
    }

    @Benchmark
    public AlignedFace align112() {
        return aligner.align(photo, PhotoCrops.LFW_FACE);
    }
}
