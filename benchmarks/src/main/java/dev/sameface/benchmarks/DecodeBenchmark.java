package dev.sameface.benchmarks;

import dev.sameface.api.Image;
import dev.sameface.pipeline.image.ImageDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** One LFW JPEG (250x250) to pixels, EXIF check included, cycling over 50 photos. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecodeBenchmark {
    @Param({"turbojpeg", "imageio"})
    public String decoder;

    private ImageDecoder imageDecoder;
    private List<byte[]> jpegs;
    private int next;

    @Setup
    public void setUp() {
        imageDecoder = decoder.equals("imageio") ? ImageDecoder.DEFAULT.imageIoOnly() : ImageDecoder.DEFAULT;
        if (decoder.equals("turbojpeg") && !imageDecoder.usesTurboJpeg()) {
            throw new IllegalStateException("libturbojpeg.so.0 does not load: apt-get install -y libturbojpeg0");
        }
        jpegs = Lfw.jpegs(50);
    }

    @Benchmark
    public Image decode() {
        byte[] b = jpegs.get(next++ % jpegs.size());
        return imageDecoder.decode(b, "lfw");
    }
}
