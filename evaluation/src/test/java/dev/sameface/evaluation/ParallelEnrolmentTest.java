package dev.sameface.evaluation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Template;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Enrolment with N pipelines on N threads: the same templates and figures as one thread, a safe store, resume. */
@Tag("slow") // enrols with several pipelines in parallel
class ParallelEnrolmentTest {
    @TempDir
    Path tmp;

    /** Wraps each extractor a factory opens, recording which threads built and used it and what it computed. */
    private static final class Recording implements ExtractorFactory {
        final ExtractorFactory inner;
        final List<Recorded> opened = new CopyOnWriteArrayList<>();
        /** Images the wrapped extractors were asked for, with how often: shows what was (re)computed. */
        final Map<Path, AtomicInteger> extracted = new ConcurrentHashMap<>();
        /** An image on which extraction fails as an engine would, or null. */
        volatile Path breakOn;
        volatile long sleepMillis;

        Recording(ExtractorFactory inner) {
            this.inner = inner;
        }

        @Override
        public TemplateExtractor open(ConfigurationSpec spec) {
            Recorded r = new Recorded(inner.open(spec), Thread.currentThread());
            opened.add(r);
            return r;
        }

        int computedTwice() {
            return (int) extracted.values().stream().filter(n -> n.get() > 1).count();
        }

        final class Recorded implements TemplateExtractor {
            final TemplateExtractor inner;
            final Thread builtOn;
            final Set<Thread> usedOn = ConcurrentHashMap.newKeySet();
            volatile Thread closedOn;

            Recorded(TemplateExtractor inner, Thread builtOn) {
                this.inner = inner;
                this.builtOn = builtOn;
            }

            @Override
            public Template extract(Path image) {
                usedOn.add(Thread.currentThread());
                if (image.equals(breakOn)) {
                    throw new FaceException(ErrorCode.INFERENCE_ERROR, "engine failed on " + image.getFileName());
                }
                if (sleepMillis > 0) {
                    try {
                        Thread.sleep(sleepMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError("interrupted", e);
                    }
                }
                Template t = inner.extract(image);
                extracted.computeIfAbsent(image, k -> new AtomicInteger()).incrementAndGet();
                return t;
            }

            @Override
            public String identity() {
                return inner.identity();
            }

            @Override
            public String fingerprint() {
                return inner.fingerprint();
            }

            @Override
            public String describe() {
                return inner.describe();
            }

            @Override
            public void close() {
                closedOn = Thread.currentThread();
                inner.close();
            }
        }
    }

    private static ExtractorFactory synthetic() {
        return spec -> new SyntheticFaces.Extractor("synthetic", 0.8);
    }

    private static void needTwoCores() {
        assertThat(Runtime.getRuntime().availableProcessors())
                .as("this test compares 1 and 2 enrolment threads, so it needs a JVM that sees 2 cores or more")
                .isGreaterThanOrEqualTo(2);
    }

    /** 20 LFW people with 5 or more photos, their first 5 each, copied into person folders under {@code root}. */
    private static Path hundredLfwPhotos(Path root) throws Exception {
        Path lfw = SharedData.lfw().resolve("images_deepfunneled");
        List<Path> people;
        try (Stream<Path> s = Files.list(lfw)) {
            people = s.filter(Files::isDirectory).sorted().toList();
        }
        int taken = 0;
        for (Path person : people) {
            List<Path> photos;
            try (Stream<Path> s = Files.list(person)) {
                photos = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
            }
            if (photos.size() < 5) {
                continue;
            }
            Path dir = Files.createDirectories(root.resolve(person.getFileName().toString()));
            for (Path photo : photos.subList(0, 5)) {
                Files.copy(photo, dir.resolve(photo.getFileName().toString()));
            }
            if (++taken == 20) {
                return root;
            }
        }
        throw new AssertionError("LFW at " + lfw + " has fewer than 20 people with 5 photos: is the copy complete?");
    }

    @Test
    void realPhotosGiveTheSameTemplatesAndFiguresOnOneAndTwoThreads() throws Exception {
        needTwoCores();
        PairSet pairs = IdentityFolderProtocol.read(hundredLfwPhotos(tmp.resolve("people")), 4000, 42);
        assertThat(pairs.images()).hasSize(100);
        // 4,000 impostor pairs measure FMR down to 2.5e-2 (100 false matches define each threshold).
        List<Double> targets = List.of(1e-1, 5e-2, 2.5e-2);
        ConfigurationSpec spec = new ConfigurationSpec("default", null, Map.of());

        Recording one = new Recording(new PipelineExtractorFactory());
        EvaluationResult.Configuration c1 = new Evaluation(one, new PairScorer(),
                new Evaluation.Options(targets, 42, tmp.resolve("store-1"), 50, 50, 1), Progress.silent())
                .run(pairs, List.of(spec), 42L).configurations().getFirst();
        Recording two = new Recording(new PipelineExtractorFactory());
        EvaluationResult.Configuration c2 = new Evaluation(two, new PairScorer(),
                new Evaluation.Options(targets, 42, tmp.resolve("store-2"), 50, 50, 2), Progress.silent())
                .run(pairs, List.of(spec), 42L).configurations().getFirst();

        // Two pipelines, each built, used and closed on one thread of its own, sharing the work.
        assertThat(one.opened).hasSize(1);
        assertThat(two.opened).hasSize(2);
        for (Recording.Recorded r : two.opened) {
            assertThat(r.usedOn).containsExactly(r.builtOn);
            assertThat(r.closedOn).isSameAs(r.builtOn);
        }
        assertThat(two.opened.get(0).builtOn).isNotSameAs(two.opened.get(1).builtOn);
        assertThat(two.extracted).hasSize(100);
        assertThat(two.computedTwice()).isZero();
        assertThat(c2.templates().threads()).isEqualTo(2);
        assertThat(c1.templates().threads()).isEqualTo(1);

        // Every template the same bit for bit...
        assertThat(c2.identity()).isEqualTo(c1.identity());
        try (TemplateStore s1 = TemplateStore.open(tmp.resolve("store-1"), c1.identity());
             TemplateStore s2 = TemplateStore.open(tmp.resolve("store-2"), c2.identity())) {
            assertThat(s1.size()).isEqualTo(100);
            assertThat(s2.size()).isEqualTo(100);
            int faces = 0;
            for (Path image : pairs.images()) {
                Template a = s1.get(TemplateStore.digest(image));
                Template b = s2.get(TemplateStore.digest(image));
                assertThat(b.isFailed()).as(image.toString()).isEqualTo(a.isFailed());
                if (a.isFailed()) {
                    assertThat(b.failure()).isEqualTo(a.failure());
                } else {
                    assertThat(b.embedding().vector()).as(image.toString()).isEqualTo(a.embedding().vector());
                    faces++;
                }
            }
            assertThat(faces).as("LFW photos hold faces").isGreaterThanOrEqualTo(95);
        }
        // ...so every figure of the report is the same too; only the timings differ.
        assertThat(c1.operatingPoints()).allMatch(OperatingPoint::measured);
        assertThat(c2).usingRecursiveComparison()
                .ignoringFields("templates.secondsComputing", "templates.secondsWall", "templates.threads",
                        "scoringSeconds", "comparisonsPerSecond", "scoringCpuSeconds", "comparisonsPerCpuSecond")
                .isEqualTo(c1);
    }

    @Test
    void aFailingWorkerStopsTheRunKeepsEverythingComputedAndTheResumeComputesOnlyTheRest() throws Exception {
        needTwoCores();
        Path root = SyntheticFaces.people(tmp.resolve("people"), 100, 7);
        PairSet pairs = IdentityFolderProtocol.read(root, 1000, 1);
        List<Path> images = pairs.images();
        Path storeDir = tmp.resolve("store");
        Recording factory = new Recording(synthetic());
        factory.breakOn = images.get(40);
        // Slow enough that the healthy worker cannot race through the remaining images before it sees the stop.
        factory.sleepMillis = 3;
        ConfigurationSpec spec = new ConfigurationSpec("default", null, Map.of());

        try (TemplateExtractor first = factory.open(spec);
             TemplateStore store = TemplateStore.open(storeDir, first.identity())) {
            assertThatThrownBy(() -> Enrolment.enrol(images, first, () -> factory.open(spec), 2, store,
                    new Enrolment.Digests(), Progress.silent(), "default"))
                    .isInstanceOf(FaceException.class)
                    .hasMessage("engine failed on " + images.get(40).getFileName())
                    .extracting(e -> ((FaceException) e).code()).isEqualTo(ErrorCode.INFERENCE_ERROR);
        }
        assertThat(factory.opened).hasSize(2).allSatisfy(r -> assertThat(r.closedOn).isNotNull());
        int computed = factory.extracted.size();
        assertThat(computed).as("the run stopped early").isBetween(40, images.size() - 100);
        try (TemplateStore store = TemplateStore.open(storeDir, "synthetic")) {
            assertThat(store.size()).as("every template computed before the stop is stored").isEqualTo(computed);
            for (Path image : factory.extracted.keySet()) {
                assertThat(store.get(TemplateStore.digest(image))).as(image.toString()).isNotNull();
            }
        }

        // The resumed run (engine healthy again) computes only what is missing, once.
        factory.breakOn = null;
        factory.sleepMillis = 0;
        Enrolment.Result resumed = enrolAll(images, factory, storeDir, 2);
        assertThat(resumed.stats().reused()).isEqualTo(computed);
        assertThat(resumed.stats().computed()).isEqualTo(images.size() - computed);
        assertThat(factory.extracted).hasSize(images.size());
        assertThat(factory.computedTwice()).isZero();
        assertSameMatrix(resumed.matrix(), enrolAll(images, new Recording(synthetic()), tmp.resolve("reference"), 1).matrix());
    }

    @Test
    void aRunKilledOnTwoThreadsResumesWithoutRecomputingWhatIsStored() throws Exception {
        needTwoCores();
        Path root = SyntheticFaces.people(tmp.resolve("people"), 80, 5);
        List<Path> images = IdentityFolderProtocol.read(root, 1000, 1).images();
        Path storeDir = tmp.resolve("store");
        Recording factory = new Recording(synthetic());
        factory.breakOn = images.get(150);
        factory.sleepMillis = 3;
        assertThatThrownBy(() -> enrolAll(images, factory, storeDir, 2)).isInstanceOf(FaceException.class);
        // A kill while the writer was appending leaves a torn last record, as in TemplateStoreTest.
        Path file = TemplateStore.fileFor(storeDir, "synthetic");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() - 1);
        }
        int stored;
        try (TemplateStore s = TemplateStore.open(storeDir, "synthetic")) {
            stored = s.size();
            assertThat(s.droppedBytes()).isPositive();
        }
        assertThat(stored).isEqualTo(factory.extracted.size() - 1);

        factory.breakOn = null;
        factory.sleepMillis = 0;
        Enrolment.Result resumed = enrolAll(images, factory, storeDir, 2);
        assertThat(resumed.stats().computed()).isEqualTo(images.size() - stored);
        assertThat(resumed.stats().droppedBytes()).isZero();
        assertThat(factory.computedTwice()).as("only the image whose record was torn is enrolled again").isEqualTo(1);
        assertSameMatrix(resumed.matrix(), enrolAll(images, new Recording(synthetic()), tmp.resolve("reference"), 1).matrix());
    }

    @Test
    void oneProgressBarCountsTheImagesOfAllThreads() throws Exception {
        needTwoCores();
        List<Path> images = IdentityFolderProtocol.read(SyntheticFaces.people(tmp.resolve("people"), 60, 5), 100, 1).images();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Recording factory = new Recording(synthetic());
        ConfigurationSpec spec = new ConfigurationSpec("default", null, Map.of());
        try (TemplateExtractor first = factory.open(spec);
             TemplateStore store = TemplateStore.open(tmp.resolve("store"), first.identity());
             PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            Enrolment.enrol(images, first, () -> factory.open(spec), 2, store, new Enrolment.Digests(),
                    Progress.to(out), "default");
        }
        assertThat(factory.opened).hasSize(2);
        String bar = bytes.toString(StandardCharsets.UTF_8);
        assertThat(bar).contains("templates default").contains(images.size() + "/" + images.size()).contains("/s");
    }

    @Test
    void threadsOutsideOneToTheCoresAreAConfigurationError() throws Exception {
        Path root = SyntheticFaces.people(tmp.resolve("people"), 20, 3);
        int cores = Runtime.getRuntime().availableProcessors();
        ProtocolSpec protocol = new ProtocolSpec.IdentityFolders(root, 100, 1);
        for (int threads : new int[]{0, cores + 1}) {
            assertThatThrownBy(() -> Evaluation.run(new Evaluation.Request(protocol, null, List.of(ConfigurationSpec.defaults()),
                    new Evaluation.Options(Evaluation.DEFAULT_TARGETS, 1, tmp.resolve("store"), 10, 10, threads)), synthetic(),
                    Progress.silent()))
                    .isInstanceOf(FaceException.class).hasMessageContaining(threads + " is outside 1.." + cores);
            assertThatThrownBy(() -> Calibration.calibrate(new Calibration.Request(protocol, ConfigurationSpec.defaults(), 1e-1,
                    tmp.resolve("c.yaml"), tmp.resolve("store"), threads, 1), synthetic(), Progress.silent()))
                    .isInstanceOf(FaceException.class).hasMessageContaining(threads + " is outside 1.." + cores);
        }
        assertThat(tmp.resolve("store")).doesNotExist();
        assertThat(tmp.resolve("c.yaml")).doesNotExist();
    }

    private static Enrolment.Result enrolAll(List<Path> images, Recording factory, Path storeDir, int threads) {
        ConfigurationSpec spec = new ConfigurationSpec("default", null, Map.of());
        try (TemplateExtractor first = factory.open(spec);
             TemplateStore store = TemplateStore.open(storeDir, first.identity())) {
            return Enrolment.enrol(images, first, () -> factory.open(spec), threads, store, new Enrolment.Digests(),
                    Progress.silent(), "default");
        }
    }

    private static void assertSameMatrix(TemplateMatrix a, TemplateMatrix b) {
        assertThat(a.rows()).isEqualTo(b.rows());
        assertThat(a.dimension()).isEqualTo(b.dimension());
        assertThat(a.data()).isEqualTo(b.data());
        for (int i = 0; i < a.rows(); i++) {
            assertThat(a.isFailed(i)).isEqualTo(b.isFailed(i));
        }
        assertThat(a.failedCount()).as("synthetic data has failed templates").isPositive();
    }
}
