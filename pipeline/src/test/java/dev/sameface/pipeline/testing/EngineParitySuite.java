package dev.sameface.pipeline.testing;

import dev.sameface.api.DetectedFace;
import dev.sameface.api.Point;
import dev.sameface.api.Template;
import dev.sameface.pipeline.Enrolment;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.models.QuantisedSidecar;
import dev.sameface.pipeline.registry.CpuFeatures;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The conformance and parity suite every inference engine must pass, run through ServiceLoader exactly as in
 * production: a backend module extends it and names its engine. ONNX Runtime (f32) is the reference.
 * <ul>
 *   <li>the same LFW photos through both engines give templates with cosine >= 0.9999 and detector boxes and
 *       landmarks within 0.5 px, for the default (Ultra-Light) and the YuNet configurations;</li>
 *   <li>identical same/different decisions on LFW fold 1 with the default configuration and threshold;</li>
 *   <li>the engine adds at most one native thread with default options;</li>
 *   <li>per precision, against ONNX Runtime f32 with tolerances measured for that precision ({@link PrecisionTolerance}):
 *       int8 (the gated copy) on every engine that loads ONNX, refused with a reason on the others; bf16 on OpenVINO
 *       where the CPU reports it, refused with a reason everywhere else.</li>
 * </ul>
 */
public abstract class EngineParitySuite {
    /** Photos of varied people, poses and lighting; the first of each of the first 24 pairs of fold 1. */
    private static final int PARITY_IMAGES = 24;

    /** The engine under test, e.g. {@code openvino}. */
    protected abstract String engine();

    protected PipelineConfig configFor(PipelineConfig base) {
        return base.withEngine(engine());
    }

    private static List<Path> parityImages() {
        Set<Path> images = new LinkedHashSet<>();
        for (LfwPairs.Pair p : LfwPairs.fold(0)) {
            images.add(p.a());
            images.add(p.b());
            if (images.size() >= PARITY_IMAGES) {
                break;
            }
        }
        return new ArrayList<>(images);
    }

    @Test
    void defaultPipelineMatchesOnnxRuntime() {
        assertParity(TestData.defaultConfig());
    }

    @Test
    void yunetPipelineMatchesOnnxRuntime() {
        assertParity(TestData.yunetConfig());
    }

    private void assertParity(PipelineConfig base) {
        List<Path> images = parityImages();
        List<Enrolment> reference = new ArrayList<>();
        try (FacePipeline ref = TestData.pipeline(base.withEngine("onnxruntime"))) {
            images.forEach(i -> reference.add(ref.enrol(i)));
        }
        try (FacePipeline p = TestData.pipeline(configFor(base))) {
            assertThat(p.describe()).contains(engineDescriptionHint());
            for (int i = 0; i < images.size(); i++) {
                Enrolment r = reference.get(i);
                Enrolment e = p.enrol(images.get(i));
                String where = images.get(i).getFileName() + " on " + engine();
                assertThat(e.faces()).as("faces found in %s", where).hasSameSizeAs(r.faces());
                for (int f = 0; f < r.faces().size(); f++) {
                    assertClose(r.faces().get(f), e.faces().get(f), where);
                }
                assertThat(e.template().isFailed()).as(where).isEqualTo(r.template().isFailed());
                if (!r.template().isFailed()) {
                    double cos = r.template().embedding().dot(e.template().embedding());
                    assertThat(cos).as("embedding cosine to ONNX Runtime, %s", where).isGreaterThanOrEqualTo(0.9999);
                }
            }
        }
    }

    /** Whether this engine runs the int8 copy (a QDQ ONNX model): every engine that loads ONNX. */
    protected boolean runsInt8() {
        return true;
    }

    /**
     * Runs {@code body} with the int8 copy loadable whatever its gate said: these tests measure the copy on each
     * engine; whether pipelines may use it is the gate's (PrecisionTest).
     */
    private static void measuringInt8(Runnable body) {
        System.setProperty(QuantisedSidecar.CANDIDATE_PROPERTY, "fr-feature-512");
        try {
            body.run();
        } finally {
            System.clearProperty(QuantisedSidecar.CANDIDATE_PROPERTY);
        }
    }

    @Test
    void int8EmbedderAgreesWithF32WithinItsMeasuredTolerance() {
        measuringInt8(this::int8Agrees);
    }

    private void int8Agrees() {
        PipelineConfig int8 = int8(configFor(TestData.defaultConfig()));
        if (!runsInt8()) {
            assertThatThrownBy(() -> TestData.pipeline(int8).close())
                    .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR))
                    .hasMessageContaining("cannot run int8");
            return;
        }
        List<Path> images = parityImages();
        List<Enrolment> reference = new ArrayList<>();
        try (FacePipeline ref = TestData.pipeline(TestData.defaultConfig().withEngine("onnxruntime"))) {
            images.forEach(i -> reference.add(ref.enrol(i)));
        }
        double worst = 0;
        try (FacePipeline p = TestData.pipeline(int8)) {
            assertThat(p.precision("embedder")).isEqualTo("int8");
            assertThat(p.describe()).contains("embedder precision int8").contains(engineDescriptionHint());
            for (int i = 0; i < images.size(); i++) {
                Enrolment r = reference.get(i);
                Enrolment e = p.enrol(images.get(i));
                String where = images.get(i).getFileName() + " on " + engine() + " int8";
                assertThat(e.template().isFailed()).as(where).isEqualTo(r.template().isFailed());
                if (!r.template().isFailed()) {
                    double cos = r.template().embedding().dot(e.template().embedding());
                    worst = Math.max(worst, 1 - cos);
                    assertThat(1 - cos).as("1 - cosine of int8 to ONNX Runtime f32, %s", where)
                            .isLessThanOrEqualTo(PrecisionTolerance.INT8_MAX_ONE_MINUS_COSINE);
                }
            }
        }
        System.out.printf(java.util.Locale.ROOT, "int8 on %s: max 1 - cos to ONNX Runtime f32 over %d photos: %.2e%n", engine(), images.size(), worst);
    }

    @Test
    void int8DecidesLikeF32OnLfwFold1() {
        if (!runsInt8()) {
            return;  // refused, as int8EmbedderAgreesWithF32WithinItsMeasuredTolerance asserts
        }
        List<LfwPairs.Pair> pairs = LfwPairs.fold(0);
        boolean[] ref = decisions(TestData.defaultConfig().withEngine("onnxruntime"), pairs);
        boolean[][] got = new boolean[1][];
        measuringInt8(() -> got[0] = decisions(int8(configFor(TestData.defaultConfig())), pairs));
        int same = 0;
        for (int i = 0; i < pairs.size(); i++) {
            same += ref[i] == got[0][i] ? 1 : 0;
        }
        System.out.printf(java.util.Locale.ROOT, "int8 on %s: %d of %d LFW fold-1 pairs decided as ONNX Runtime f32%n", engine(), same, pairs.size());
        assertThat((double) same / pairs.size()).as("share of LFW fold-1 pairs %s int8 decides as ONNX Runtime f32 (%d of %d)",
                engine(), same, pairs.size()).isGreaterThanOrEqualTo(PrecisionTolerance.INT8_MIN_SAME_DECISIONS);
    }

    @Test
    void bf16RunsOnlyOnOpenVinoWhereTheCpuReportsIt() {
        PipelineConfig bf16 = configFor(TestData.defaultConfig()).withEmbedder(TestData.defaultConfig().embedder().withPrecision("bf16"));
        CpuFeatures cpu = CpuFeatures.current();
        if (!"openvino".equals(engine())) {
            assertThatThrownBy(() -> TestData.pipeline(bf16).close())
                    .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR))
                    .hasMessageContaining("bf16 runs only on the openvino engine");
        } else if (!cpu.hasBf16()) {
            assertThatThrownBy(() -> TestData.pipeline(bf16).close())
                    .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR))
                    .hasMessageContaining("avx512_bf16").hasMessageContaining(cpu.model());
        } else {
            List<Path> images = parityImages();
            try (FacePipeline ref = TestData.pipeline(TestData.defaultConfig().withEngine("onnxruntime"));
                 FacePipeline p = TestData.pipeline(bf16)) {
                assertThat(p.precision("embedder")).isEqualTo("bf16");
                for (Path image : images) {
                    Template r = ref.createTemplate(image);
                    Template e = p.createTemplate(image);
                    if (!r.isFailed()) {
                        assertThat(1 - r.embedding().dot(e.embedding())).as("1 - cosine of bf16 to f32, %s", image.getFileName())
                                .isLessThanOrEqualTo(PrecisionTolerance.BF16_MAX_ONE_MINUS_COSINE);
                    }
                }
            }
        }
    }

    private static PipelineConfig int8(PipelineConfig c) {
        return c.withEmbedder(c.embedder().withPrecision("int8"));
    }

    /** A word the engine's description must contain, proving the engine under test really ran. */
    protected String engineDescriptionHint() {
        return "";
    }

    private static void assertClose(DetectedFace r, DetectedFace e, String where) {
        double[] rb = {r.box().x(), r.box().y(), r.box().x() + r.box().width(), r.box().y() + r.box().height()};
        double[] eb = {e.box().x(), e.box().y(), e.box().x() + e.box().width(), e.box().y() + e.box().height()};
        for (int k = 0; k < 4; k++) {
            assertThat(Math.abs(rb[k] - eb[k])).as("box coordinate %d, %s", k, where).isLessThanOrEqualTo(0.5);
        }
        List<Point> rp = r.landmarks().points();
        List<Point> ep = e.landmarks().points();
        for (int k = 0; k < 5; k++) {
            assertThat(rp.get(k).distance(ep.get(k))).as("landmark %d, %s", k, where).isLessThanOrEqualTo(0.5);
        }
    }

    @Test
    void sameDecisionsAsOnnxRuntimeOnLfwFold1() {
        List<LfwPairs.Pair> pairs = LfwPairs.fold(0);
        boolean[] ref = decisions(TestData.defaultConfig().withEngine("onnxruntime"), pairs);
        boolean[] got = decisions(configFor(TestData.defaultConfig()), pairs);
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            if (ref[i] != got[i]) {
                differing.add(pairs.get(i).a().getFileName() + " vs " + pairs.get(i).b().getFileName());
            }
        }
        assertThat(differing).as("pairs decided differently by %s and ONNX Runtime", engine()).isEmpty();
    }

    private static boolean[] decisions(PipelineConfig config, List<LfwPairs.Pair> pairs) {
        boolean[] out = new boolean[pairs.size()];
        try (FacePipeline p = TestData.pipeline(config)) {
            var cache = new java.util.HashMap<Path, Template>();
            for (int i = 0; i < pairs.size(); i++) {
                LfwPairs.Pair q = pairs.get(i);
                Template a = cache.computeIfAbsent(q.a(), p::createTemplate);
                Template b = cache.computeIfAbsent(q.b(), p::createTemplate);
                out[i] = p.verify(a, b).same();
            }
        }
        return out;
    }

    @Test
    void runsOnOneThreadByDefault() {
        assertSingleThreaded(configFor(TestData.defaultConfig()));
    }

    /**
     * Builds the pipeline and enrols photos while counting the process's threads: the engine may add at most one
     * (a worker in place of the calling thread for some engines) and nothing else. The JVM's own compiler threads
     * are warmed up first so that they do not count against the engine.
     */
    public static void assertSingleThreaded(PipelineConfig config) {
        List<Path> images = parityImages().subList(0, 6);
        // Warm the JIT (its compiler threads come and go) on the same Java code paths with another engine.
        try (FacePipeline warm = TestData.pipeline(config.withEngine("onnxruntime"))) {
            images.forEach(warm::enrol);
        }
        List<String> before = NativeThreads.names();
        int peak = before.size();
        try (FacePipeline p = TestData.pipeline(config)) {
            for (int round = 0; round < 3; round++) {
                for (Path i : images) {
                    p.enrol(i);
                    peak = Math.max(peak, NativeThreads.count());
                }
            }
            List<String> during = NativeThreads.names();
            assertThat(peak - before.size())
                    .as("threads added while %s inferred: %s", config.engine(), NativeThreads.added(before, during))
                    .isLessThanOrEqualTo(1);
        }
    }
}
