package dev.sameface.benchmarks;

import dev.sameface.api.Template;
import dev.sameface.api.TemplateCodec;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.stages.CosineMatcher;
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
 * The template codec and the cosine score, on real 512-d templates: two LFW photos enrolled once in set-up with the
 * default pipeline (its models must be fetched: ./sameface models fetch).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TemplateBenchmark {
    private Template a;
    private Template b;
    private byte[] encoded;
    private final CosineMatcher matcher = new CosineMatcher();

    @Setup
    public void setUp() {
        List<Path> photos = Lfw.photos(2);
        try (FacePipeline p = Pipelines.create(PipelineConfig.defaults())) {
            a = p.createTemplate(photos.get(0));
            b = p.createTemplate(photos.get(1));
        }
        if (a.isFailed() || b.isFailed()) {
            throw new IllegalStateException("no face enrolled from " + photos);
        }
        encoded = TemplateCodec.encode(a);
    }

    @Benchmark
    public byte[] encode() {
        return TemplateCodec.encode(a);
    }

    @Benchmark
    public Template decode() {
        return TemplateCodec.decode(encoded);
    }

    @Benchmark
    public double cosine512() {
        return matcher.similarity(a.embedding(), b.embedding());
    }
}
