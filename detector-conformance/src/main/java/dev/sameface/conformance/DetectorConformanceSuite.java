package dev.sameface.conformance;

import dev.sameface.api.DetectedFace;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.api.Landmarks5;
import dev.sameface.api.Point;
import dev.sameface.api.SamefaceHome;
import dev.sameface.api.engine.InferenceEngineProvider;
import dev.sameface.pipeline.Enrolment;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.image.ImageDecoder;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.models.ModelManifest;
import dev.sameface.pipeline.registry.EngineRegistry;
import dev.sameface.pipeline.registry.StageRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The conformance suite every detector plugin passes. A plugin runs it on itself with one test class:
 * <pre>{@code class MyDetectorConformanceTest extends DetectorConformanceSuite { MyDetectorConformanceTest() { super("my-detector"); } } }</pre>
 * The detector is built exactly as in production: a pipeline configuration naming the plugin, {@code ServiceLoader}
 * finding the plugin and the engines, the model cache resolving its models, the image decoder reading the bytes.
 * The checks (docs/detectors.md):
 * <ul>
 *   <li>on a sample of LFW photos it finds the face, its eyes near the consensus (per-coordinate median) of the other
 *       detectors on the class path: within 10% of the inter-ocular distance on the median photo, 25% on every one;</li>
 *   <li>a mirrored photo gives the mirrored eyes and mouth corners, image-left and image-right swapped, within the
 *       same bounds; landmarks in template order (image-left eye first);</li>
 *   <li>blank and noise images give no face; a collage of six LFW faces gives six, one per tile;</li>
 *   <li>64 px and 4000 px inputs work: the face is found, and at 4000 px where it is at 250 px;</li>
 *   <li>an upside-down photo gives well-formed faces or none (sameface corrects EXIF orientation only;
 *       docs/detectors.md says what each detector gives on a turned photo);</li>
 *   <li>every other engine on the class path gives the same faces within 0.5 px of ONNX Runtime's, unless the
 *       plugin declares it cannot load the model ({@link #enginesThatCannotLoad}), and then it must refuse with a reason.</li>
 * </ul>
 * Models come from the standard cache ({@code SAMEFACE_HOME}) and the local model directories
 * ({@code SAMEFACE_LOCAL_MODELS}, plus {@code <sameface.shared>/models} when that directory exists).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DetectorConformanceSuite {
    /** The engine every other engine is compared with. */
    public static final String REFERENCE_ENGINE = "onnxruntime";
    /** The median photo's landmarks within this share of the inter-ocular distance: the same points. */
    public static final double LANDMARK_TOLERANCE = 0.10;
    /** The same face on two engines: every box corner and landmark within this many pixels. */
    public static final double ENGINE_TOLERANCE_PX = 0.5;
    private static final int PHOTOS = 6;
    private static final int CONSENSUS_PHOTOS = 10;
    /** No photo's landmarks beyond this share of the inter-ocular distance. */
    public static final double GROSS_TOLERANCE = 0.25;
    /**
     * One person in each central square (Micky_Ward_0001, of the first sample, has a second face at its left edge,
     * which every detector finds).
     */
    private static final List<String> COLLAGE_PHOTOS = List.of("AJ_Cook_0001", "Daniel_Zelman_0001", "Francis_George_0001",
            "Josh_Kronfeld_0001", "Manuel_Gehring_0001", "Natalie_Coughlin_0001");
    private static final int COLLAGE_TILES = COLLAGE_PHOTOS.size();

    private final String plugin;
    private final String model;
    private final Map<String, FacePipeline> pipelines = new LinkedHashMap<>();
    private ModelCache cache;

    /** The detector plugin {@code plugin} with its default model. */
    protected DetectorConformanceSuite(String plugin) {
        this(plugin, null);
    }

    /** The detector plugin {@code plugin} with model {@code model} (a manifest id). */
    protected DetectorConformanceSuite(String plugin, String model) {
        this.plugin = plugin;
        this.model = model;
    }

    /**
     * Engines that cannot load this detector's model, each with the reason (e.g. {@code djl-pytorch}: no TorchScript
     * export). The suite asserts that each refuses with a typed error instead of comparing its results. Default: none.
     */
    protected Map<String, String> enginesThatCannotLoad() {
        return Map.of();
    }

    /** Where models are found: the standard cache plus the local model directories (see the class comment). */
    protected ModelCache modelCache() {
        List<Path> local = new ArrayList<>(ModelCache.localDirsFromEnvironment());
        String shared = System.getProperty("sameface.shared");
        if (shared != null && Files.isDirectory(Path.of(shared, "models"))) {
            local.add(Path.of(shared, "models"));
        }
        return new ModelCache(ModelManifest.load(), SamefaceHome.resolve(), local);
    }

    private PipelineConfig config(String detector, String detectorModel, String engine) {
        Map<String, String> o = new TreeMap<>(Map.of("detector.plugin", detector, "engine", engine));
        if (detectorModel != null) {
            o.put("detector.model", detectorModel);
        }
        return PipelineConfig.defaults().withOverrides(o);
    }

    private FacePipeline pipeline(String detector, String detectorModel, String engine) {
        if (cache == null) {
            cache = modelCache();
        }
        String key = detector + "/" + detectorModel + "@" + engine;
        FacePipeline p = pipelines.get(key);
        if (p == null) {
            p = Pipelines.create(config(detector, detectorModel, engine), cache);
            pipelines.put(key, p);
        }
        return p;
    }

    /** The detector under test on {@code engine}. */
    private FacePipeline pipeline(String engine) {
        return pipeline(plugin, model, engine);
    }

    /**
     * Opens the detector on every engine before any test runs, in the order one process must create them (DJL's
     * OnnxRuntime engine before ONNX Runtime's own: {@link EngineRegistry#creationOrder}). Engines declared unable to
     * load it are left to {@link #everyEngineGivesTheSameFacesWithinHalfAPixel}, which checks their refusal.
     */
    @BeforeAll
    void openOnEveryEngine() {
        EngineRegistry engines = EngineRegistry.load();
        List<String> names = engines.all().stream().map(InferenceEngineProvider::name)
                .filter(e -> !enginesThatCannotLoad().containsKey(e)).toList();
        for (String engine : engines.creationOrder(names)) {
            pipeline(engine);
        }
    }

    @AfterAll
    void closePipelines() {
        pipelines.values().forEach(FacePipeline::close);
        pipelines.clear();
    }

    private static Enrolment enrol(FacePipeline p, Image img, String name) {
        return p.enrol(ConformanceImages.png(img), name + ".png");
    }

    private static Image decode(Path photo) {
        return ImageDecoder.DEFAULT.decode(photo).toRgb();
    }

    private static List<Path> photos() {
        return ConformanceImages.lfwPhotos(PHOTOS);
    }

    private String name() {
        return plugin + (model == null ? "" : " (" + model + ")");
    }

    @Test
    void isFoundThroughServiceLoader() {
        assertThat(StageRegistry.load().detectors()).as("detector plugins ServiceLoader finds").containsKey(plugin);
    }

    /**
     * On every photo of the sample the face is found, and its eyes agree with the other detectors' consensus
     * ({@link #assertAgreement}). Good detectors differ by 11-15% of the inter-ocular distance on the odd LFW photo
     * (where each puts the eye centre), so 10% holds for the typical photo, not for every one.
     */
    @Test
    void findsTheFaceWithEyesNearTheConsensusOfTheOtherDetectors() {
        Map<String, FacePipeline> others = otherDetectors();
        FacePipeline mine = pipeline(REFERENCE_ENGINE);
        Map<String, Double> errors = new LinkedHashMap<>();
        for (Path photo : ConformanceImages.lfwPhotos(CONSENSUS_PHOTOS)) {
            Image img = decode(photo);
            List<Landmarks5> theirs = new ArrayList<>();
            others.forEach((other, p) -> {
                DetectedFace f = enrol(p, img, other).selected();
                if (f != null) {
                    theirs.add(f.landmarks());
                }
            });
            assertThat(theirs).as("other detectors (%s) finding a face in %s", others.keySet(), photo.getFileName()).hasSizeGreaterThanOrEqualTo(2);
            Point left = median(theirs.stream().map(Landmarks5::imageLeftEye).toList());
            Point right = median(theirs.stream().map(Landmarks5::imageRightEye).toList());
            DetectedFace face = enrol(mine, img, "photo").selected();
            assertThat(face).as("%s finds the face in %s", name(), photo.getFileName()).isNotNull();
            errors.put(photo.getFileName().toString(), Math.max(face.landmarks().imageLeftEye().distance(left),
                    face.landmarks().imageRightEye().distance(right)) / left.distance(right));
        }
        assertAgreement("eyes against the consensus of " + others.keySet(), errors);
    }

    /**
     * Per-photo errors (the worst compared point's distance over the inter-ocular distance): the median at most
     * {@link #LANDMARK_TOLERANCE}, the usual success bound of normalised landmark error, and none beyond
     * {@link #GROSS_TOLERANCE}, where an eye lands on the brow or the nose bridge and the aligned crop is wrong.
     */
    private void assertAgreement(String what, Map<String, Double> errors) {
        double[] sorted = errors.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        StringBuilder sb = new StringBuilder();
        errors.forEach((k, v) -> sb.append(String.format(java.util.Locale.ROOT, " %s %.1f%%", k, 100 * v)));
        System.out.printf(java.util.Locale.ROOT, "%s, %s: median %.1f%%, worst %.1f%% of the inter-ocular distance;%s%n", name(), what,
                100 * middle(sorted), 100 * sorted[sorted.length - 1], sb);
        assertThat(middle(sorted)).as("%s, %s: median error over %d photos (per photo:%s)", name(), what, sorted.length, sb)
                .isLessThanOrEqualTo(LANDMARK_TOLERANCE);
        assertThat(sorted[sorted.length - 1]).as("%s, %s: worst error (per photo:%s)", name(), what, sb).isLessThanOrEqualTo(GROSS_TOLERANCE);
    }

    /** Every other detector plugin on the class path that loads on the reference engine; at least two. */
    private Map<String, FacePipeline> otherDetectors() {
        Map<String, FacePipeline> usable = new TreeMap<>();
        Map<String, String> refused = new TreeMap<>();
        for (String other : StageRegistry.load().detectors().keySet()) {
            if (other.equals(plugin)) {
                continue;
            }
            try {
                usable.put(other, pipeline(other, null, REFERENCE_ENGINE));
            } catch (FaceException e) {
                refused.put(other, e.getMessage());
            }
        }
        if (usable.size() < 2) {
            fail("the consensus needs at least two other detectors that load on " + REFERENCE_ENGINE + "; usable: " + usable.keySet()
                    + ", refused: " + refused + " (run ./sameface models fetch, and point SAMEFACE_LOCAL_MODELS at the local models)");
        }
        return usable;
    }

    private static Point median(List<Point> points) {
        double[] xs = points.stream().mapToDouble(Point::x).sorted().toArray();
        double[] ys = points.stream().mapToDouble(Point::y).sorted().toArray();
        return new Point(middle(xs), middle(ys));
    }

    private static double middle(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    @Test
    void mirroredPhotoSwapsImageLeftAndImageRightLandmarks() {
        FacePipeline p = pipeline(REFERENCE_ENGINE);
        Map<String, Double> errors = new LinkedHashMap<>();
        for (Path photo : photos()) {
            Image img = decode(photo);
            DetectedFace face = enrol(p, img, "photo").selected();
            DetectedFace mirrored = enrol(p, img.mirrored(), "mirrored").selected();
            assertThat(face).as("%s finds the face in %s", name(), photo.getFileName()).isNotNull();
            assertThat(mirrored).as("%s finds the face in mirrored %s", name(), photo.getFileName()).isNotNull();
            for (Landmarks5 lm : List.of(face.landmarks(), mirrored.landmarks())) {
                assertThat(lm.imageLeftEye().x()).as("%s landmarks in template order (image-left eye first) in %s", name(), photo.getFileName())
                        .isLessThan(lm.imageRightEye().x());
                assertThat(lm.imageLeftMouth().x()).as("%s image-left mouth corner first in %s", name(), photo.getFileName())
                        .isLessThan(lm.imageRightMouth().x());
            }
            Landmarks5 expected = face.landmarks().mirrored(img.width());
            // The points that swap sides; the nose tip stays in the middle.
            List<Point> want = expected.points();
            List<Point> got = mirrored.landmarks().points();
            double worst = 0;
            for (int i : new int[]{0, 1, 3, 4}) {
                worst = Math.max(worst, got.get(i).distance(want.get(i)));
            }
            errors.put(photo.getFileName().toString(), worst / expected.imageLeftEye().distance(expected.imageRightEye()));
        }
        assertAgreement("eyes and mouth corners of the mirrored photo against the photo's, mirrored", errors);
    }

    /** Images without a face: black, mid-grey, white, and seeded uniform noise. */
    private static Map<String, Image> faceless() {
        Map<String, Image> m = new LinkedHashMap<>();
        m.put("black", ConformanceImages.uniform(640, 480, 0));
        m.put("grey", ConformanceImages.uniform(640, 480, 128));
        m.put("white", ConformanceImages.uniform(640, 480, 255));
        m.put("noise", ConformanceImages.noise(640, 480, 20261130L));
        return m;
    }

    @Test
    void blankAndNoiseImagesGiveNoFace() {
        FacePipeline p = pipeline(REFERENCE_ENGINE);
        faceless().forEach((what, img) ->
                assertThat(enrol(p, img, what).faces()).as("%s faces in a %s image", name(), what).isEmpty());
    }

    @Test
    void collageOfSixFacesGivesSixOnePerTile() {
        int side = 150;
        List<Image> tiles = new ArrayList<>();
        // The central square of each photo: the face with little background, so no stranger enters a tile.
        for (String photo : COLLAGE_PHOTOS) {
            tiles.add(ConformanceImages.centre(decode(ConformanceImages.lfw(photo)), side));
        }
        int columns = 3;
        // Mid-grey gutters between the tiles: hard seams where four photos meet can look like a small face.
        int gutter = 50;
        Image collage = ConformanceImages.collage(tiles, columns, gutter);
        List<DetectedFace> faces = enrol(pipeline(REFERENCE_ENGINE), collage, "collage").faces();
        assertThat(faces).as("%s faces in a collage of %d LFW faces", name(), COLLAGE_TILES).hasSize(COLLAGE_TILES);
        int[] perTile = new int[COLLAGE_TILES];
        for (DetectedFace f : faces) {
            Point c = f.box().centre();
            int pitch = side + gutter;
            perTile[(int) (c.y() / pitch) * columns + (int) (c.x() / pitch)]++;
        }
        assertThat(perTile).as("%s faces per tile", name()).containsOnly(1);
    }

    @Test
    void sixtyFourAndFourThousandPixelInputsWork() {
        FacePipeline p = pipeline(REFERENCE_ENGINE);
        Path photo = photos().getFirst();
        Image img = decode(photo);
        DetectedFace base = enrol(p, img, "photo").selected();
        assertThat(base).as("%s finds the face in %s", name(), photo.getFileName()).isNotNull();

        Image small = ConformanceImages.scaled(img, 64, 64);
        DetectedFace tiny = enrol(p, small, "small").selected();
        assertThat(tiny).as("%s finds the face in %s scaled to 64x64", name(), photo.getFileName()).isNotNull();
        Point c = tiny.box().centre();
        assertThat(c.x()).as("face centre x at 64 px").isBetween(16.0, 48.0);
        assertThat(c.y()).as("face centre y at 64 px").isBetween(16.0, 48.0);
        assertThat(tiny.landmarks().imageLeftEye().x()).as("template order at 64 px").isLessThan(tiny.landmarks().imageRightEye().x());

        int big = 4000;
        double f = (double) big / img.width();
        Image large = ConformanceImages.scaled(img, big, (int) Math.round(img.height() * f));
        // JPEG: a 16-megapixel PNG takes seconds to write and read; the comparison below allows for its loss.
        DetectedFace huge = p.enrol(ConformanceImages.jpeg(large), "large.jpg").selected();
        assertThat(huge).as("%s finds the face in %s scaled to %d px", name(), photo.getFileName(), big).isNotNull();
        Landmarks5 expected = base.landmarks();
        double tolerance = LANDMARK_TOLERANCE * expected.imageLeftEye().distance(expected.imageRightEye());
        List<Point> want = expected.points();
        List<Point> got = huge.landmarks().points();
        // The detector sees another resolution (most scale 4000 px down to their input size, not to 250): the eyes,
        // which the alignment rests on, within the tolerance; every point within the gross bound.
        for (int i = 0; i < 5; i++) {
            Point scaledBack = new Point(got.get(i).x() / f, got.get(i).y() / f);
            assertThat(scaledBack.distance(want.get(i))).as("%s landmark %d at %d px (scaled back), %s vs %s", name(), i, big,
                    scaledBack, want.get(i)).isLessThanOrEqualTo(i < 2 ? tolerance : tolerance * GROSS_TOLERANCE / LANDMARK_TOLERANCE);
        }
    }

    /**
     * sameface turns photos upright by their EXIF orientation and no further (docs/detectors.md): a photo turned 180
     * degrees reaches the detector upside down. What detectors then do differs (nothing; the face with landmarks
     * fitted as if upright; a stray small box) and is measured in the docs; what every detector must do is answer
     * with well-formed faces: finite boxes and landmarks, boxes centred inside the image, scores in [0, 1].
     */
    @Test
    void upsideDownPhotoGivesWellFormedFacesOrNone() {
        FacePipeline p = pipeline(REFERENCE_ENGINE);
        int found = 0;
        for (Path photo : photos()) {
            Image turned = ConformanceImages.rotated180(decode(photo));
            Enrolment e = enrol(p, turned, "upside-down");
            for (DetectedFace f : e.faces()) {
                found++;
                Point c = f.box().centre();
                assertThat(c.x()).as("%s on upside-down %s: box %s", name(), photo.getFileName(), f.box()).isBetween(0.0, (double) turned.width());
                assertThat(c.y()).as("%s on upside-down %s: box %s", name(), photo.getFileName(), f.box()).isBetween(0.0, (double) turned.height());
                assertThat(f.score()).as("%s score on upside-down %s", name(), photo.getFileName()).isBetween(0.0, 1.0);
            }
            if (e.selected() != null) {
                assertThat(java.util.Arrays.stream(coordinates(e.selected().landmarks())).allMatch(Double::isFinite))
                        .as("%s landmarks on upside-down %s are finite: %s", name(), photo.getFileName(), e.selected().landmarks()).isTrue();
            }
        }
        System.out.printf("%s: %d faces on %d upside-down LFW photos%n", name(), found, photos().size());
    }

    @TestFactory
    Stream<DynamicTest> everyEngineGivesTheSameFacesWithinHalfAPixel() {
        List<String> engines = EngineRegistry.load().all().stream().map(InferenceEngineProvider::name)
                .filter(e -> !e.equals(REFERENCE_ENGINE)).sorted().toList();
        assertThat(engines).as("engines besides %s on the class path", REFERENCE_ENGINE).isNotEmpty();
        assertThat(engines).as("engines declared unable to load %s", name()).containsAll(enginesThatCannotLoad().keySet());
        return engines.stream().map(engine -> DynamicTest.dynamicTest(name() + " on " + engine, () -> {
            if (enginesThatCannotLoad().containsKey(engine)) {
                assertThatThrownBy(() -> pipeline(engine)).as("%s cannot load %s (%s)", engine, name(), enginesThatCannotLoad().get(engine))
                        .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code())
                                .isIn(ErrorCode.MODEL_MISSING, ErrorCode.MODEL_INCOMPATIBLE, ErrorCode.CONFIG_ERROR));
            } else {
                assertSameFaces(engine);
            }
        }));
    }

    private void assertSameFaces(String engine) {
        FacePipeline ref = pipeline(REFERENCE_ENGINE);
        FacePipeline other = pipeline(engine);
        Map<String, Image> inputs = new LinkedHashMap<>();
        photos().forEach(photo -> inputs.put(photo.getFileName().toString(), decode(photo)));
        inputs.putAll(faceless());
        for (var in : inputs.entrySet()) {
            Enrolment r = enrol(ref, in.getValue(), in.getKey());
            Enrolment e = enrol(other, in.getValue(), in.getKey());
            String where = name() + " on " + engine + ", " + in.getKey();
            assertThat(e.faces()).as("faces in %s", where).hasSameSizeAs(r.faces());
            for (int i = 0; i < r.faces().size(); i++) {
                assertClose(corners(e.faces().get(i)), corners(r.faces().get(i)), "box " + i + " in " + where);
            }
            if (r.selected() != null) {
                assertThat(e.selected()).as("selected face in %s", where).isNotNull();
                assertClose(coordinates(e.selected().landmarks()), coordinates(r.selected().landmarks()), "landmarks in " + where);
            }
        }
    }

    private static double[] corners(DetectedFace f) {
        return new double[]{f.box().x(), f.box().y(), f.box().x() + f.box().width(), f.box().y() + f.box().height()};
    }

    private static double[] coordinates(Landmarks5 lm) {
        return lm.points().stream().flatMapToDouble(pt -> java.util.stream.DoubleStream.of(pt.x(), pt.y())).toArray();
    }

    private static void assertClose(double[] got, double[] want, String what) {
        for (int i = 0; i < want.length; i++) {
            assertThat(Math.abs(got[i] - want[i])).as("%s: %s vs %s on %s", what, Arrays.toString(got), Arrays.toString(want),
                    REFERENCE_ENGINE).isLessThanOrEqualTo(ENGINE_TOLERANCE_PX);
        }
    }
}
