package dev.sameface.cli;

import dev.sameface.api.AlignedFace;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Landmarks5;
import dev.sameface.api.Point;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.api.engine.Tensor;
import dev.sameface.evaluation.FoldAccuracy;
import dev.sameface.evaluation.PairSet;
import dev.sameface.kit.ImageOps;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.models.ModelDeclaration;
import dev.sameface.pipeline.models.ModelManifest;
import dev.sameface.pipeline.models.UserModels;
import dev.sameface.pipeline.registry.EngineRegistry;

import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Measures what a model's graph cannot tell, the way docs/models.md measured it for fr-feature-512: an embedder's
 * colour order and pixel scaling by LFW-style 10-fold accuracy on a few hundred pairs, each candidate on the very
 * same aligned crops; a detector's (or landmark model's) landmark order by the mirror test.
 */
final class ModelProbe {
    private ModelProbe() {
    }

    /** One way to feed the model. */
    record Candidate(ModelSpec.ColorOrder color, double mean, double scale) {
        String scaling() {
            if (mean == 0 && scale == 1) {
                return "x (0..255)";
            }
            if (mean == 0) {
                return "x / " + ModelDeclaration.number(1 / scale);
            }
            return "(x - " + ModelDeclaration.number(mean) + ") / " + ModelDeclaration.number(1 / scale);
        }

        String label() {
            return color + " " + scaling();
        }
    }

    /** A candidate's accuracy (10-fold, thresholds from the other nine) and separation d' on the probe's pairs. */
    record Outcome(Candidate candidate, FoldAccuracy accuracy, double dPrime, int correct) {
    }

    /**
     * The outcome: candidates best first, and the decision with its evidence.
     *
     * @param undecided the questions ({@code color}, {@code mean-scale}) whose best two answers tie on accuracy, so
     *                  that only the separation d' orders them: not proven by this sample
     */
    record EmbedderResult(List<Outcome> ranked, int pairs, int unaligned, List<String> undecided, List<String> evidence) {
        Candidate best() {
            return ranked.getFirst().candidate();
        }
    }

    /** The scalings tried when the graph does not normalise: InsightFace's two, 0..1 and raw. */
    static final List<double[]> SCALINGS = List.of(new double[]{127.5, 1 / 127.5}, new double[]{127, 1 / 128.0},
            new double[]{0, 1 / 255.0}, new double[]{0, 1});

    /**
     * Every feeding the graph leaves open, whatever the entry says now (the probe checks a recorded answer too):
     * both colour orders for a colour model, and the scalings unless the graph normalises its input itself.
     */
    static List<Candidate> candidates(UserModels.UserModel m) {
        ModelManifest.Input in = m.input();
        List<ModelSpec.ColorOrder> colors = in.color() == ModelSpec.ColorOrder.GRAY ? List.of(in.color())
                : List.of(ModelSpec.ColorOrder.RGB, ModelSpec.ColorOrder.BGR);
        List<double[]> scalings = Boolean.TRUE.equals(m.graphNormalises()) ? List.<double[]>of(new double[]{0, 1}) : SCALINGS;
        List<Candidate> out = new ArrayList<>();
        for (var c : colors) {
            for (double[] s : scalings) {
                out.add(new Candidate(c, s[0], s[1]));
            }
        }
        return out;
    }

    /** A subset of about {@code n} pairs spread evenly over the set (so over every fold of pairs.txt). */
    static int[] spread(PairSet set, int n) {
        int step = Math.max(1, set.size() / Math.max(1, n));
        List<Integer> picked = new ArrayList<>();
        for (int i = 0; i < set.size() && picked.size() < n; i += step) {
            picked.add(i);
        }
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }

    static EmbedderResult embedder(ModelCache cache, String id, UserModels.UserModel m, PairSet set, int n, PrintWriter log) {
        if (set.fold() == null || set.folds() < 2) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "the probe needs a pairs file with folds (LFW's pairs.txt)");
        }
        int[] picked = spread(set, n);
        // Every photo is detected and aligned once, by the built-in pipeline; candidates differ only in feeding.
        Map<Integer, Optional<AlignedFace>> crops = new java.util.TreeMap<>();
        try (FacePipeline p = Pipelines.create(PipelineConfig.defaults(), cache)) {
            for (int i : picked) {
                for (int img : new int[]{set.left()[i], set.right()[i]}) {
                    crops.computeIfAbsent(img, k -> p.alignedSubject(set.images().get(k)));
                }
            }
        }
        int unaligned = (int) crops.values().stream().filter(Optional::isEmpty).count();
        log.printf(Locale.ROOT, "probe %s: %d pairs, %d photos aligned (%d without a face, scored as non-matches)%n", id, picked.length,
                crops.size() - unaligned, unaligned);
        ModelManifest.Input in = m.input();
        List<Outcome> outcomes = new ArrayList<>();
        try (InferenceEngine engine = EngineRegistry.load().get("onnxruntime").create(EngineOptions.singleThreaded());
             CompiledModel model = engine.load(cache.source(id))) {
            String output = model.outputs().getFirst().name();
            for (Candidate c : candidates(m)) {
                ModelSpec spec = new ModelSpec(id, c.color(), c.mean(), c.scale(), in.layout(), in.width(), in.height());
                Map<Integer, float[]> emb = new java.util.HashMap<>();
                crops.forEach((img, crop) -> crop.ifPresent(a -> {
                    Tensor t = ImageOps.toTensor(a.crop(), 0, 0, a.crop().width(), a.crop().height(), in.width(), in.height(), spec);
                    emb.put(img, unit(model.run(Map.of(in.name(), t)).get(output).toArray()));
                }));
                float[] scores = new float[picked.length];
                boolean[] genuine = new boolean[picked.length];
                int[] fold = new int[picked.length];
                for (int k = 0; k < picked.length; k++) {
                    int i = picked[k];
                    float[] a = emb.get(set.left()[i]);
                    float[] b = emb.get(set.right()[i]);
                    scores[k] = a == null || b == null ? -1f : dot(a, b);
                    genuine[k] = set.genuine()[i];
                    fold[k] = set.fold()[i];
                }
                FoldAccuracy acc = FoldAccuracy.compute(scores, genuine, fold, set.folds());
                Outcome o = new Outcome(c, acc, dPrime(scores, genuine), (int) Math.round(acc.mean() * picked.length));
                log.printf(Locale.ROOT, "  %-28s accuracy %6.2f%% +- %.2f  d' %.3f%n", c.label(), 100 * acc.mean(), 100 * acc.std(), o.dPrime());
                outcomes.add(o);
            }
        }
        outcomes.sort(Comparator.comparingInt(Outcome::correct).reversed().thenComparing(Comparator.comparingDouble(Outcome::dPrime).reversed()));
        return decide(outcomes, picked.length, unaligned);
    }

    private static EmbedderResult decide(List<Outcome> ranked, int pairs, int unaligned) {
        Outcome best = ranked.getFirst();
        List<String> ev = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        for (Outcome o : ranked) {
            table.append(table.isEmpty() ? "" : "; ").append(String.format(Locale.ROOT, "%s %.2f%% (d' %.3f)", o.candidate().label(),
                    100 * o.accuracy().mean(), o.dPrime()));
        }
        ev.add(String.format(Locale.ROOT, "probe on %d LFW pairs spread over pairs.txt's folds (10-fold accuracy, thresholds from the other"
                + " nine; %d photos without a face): best %s; all: %s", pairs, unaligned, best.candidate().label(), table));
        // Each question on its own, so that nobody reads a tie as a finding.
        List<String> undecided = new ArrayList<>();
        Optional<Outcome> otherColour = ranked.stream().filter(o -> o.candidate().color() != best.candidate().color()).findFirst();
        otherColour.ifPresent(o -> {
            ev.add(answer("colour order", best, o));
            if (best.correct() <= o.correct()) {
                undecided.add("color");
            }
        });
        Optional<Outcome> otherScaling = ranked.stream().filter(o -> !sameScaling(o.candidate(), best.candidate())).findFirst();
        otherScaling.ifPresent(o -> {
            ev.add(answer("scaling", best, o));
            if (best.correct() <= o.correct()) {
                undecided.add("mean-scale");
            }
        });
        ranked.stream().skip(1).filter(o -> o.candidate().color() == best.candidate().color() && sameScaling(o.candidate(), best.candidate()))
                .findFirst().ifPresent(o -> ev.add("scaling: " + best.candidate().scaling() + " and " + o.candidate().scaling()
                        + " are the same feeding within 1% (not told apart, nor need they be)"));
        return new EmbedderResult(ranked, pairs, unaligned, undecided, ev);
    }

    /** Scalings that differ by under one grey level in the mean and 1% in the scale feed the model the same input. */
    static boolean sameScaling(Candidate a, Candidate b) {
        return Math.abs(a.mean() - b.mean()) <= 1 && Math.abs(a.scale() / b.scale() - 1) <= 0.01;
    }

    private static String answer(String question, Outcome best, Outcome other) {
        int lead = best.correct() - other.correct();
        return String.format(Locale.ROOT, "%s: %s %s over %s (%d more of the pairs right; d' %.3f vs %.3f)", question,
                lead > 0 ? "measured," : "undecided (a tie on accuracy), d' leans to", best.candidate().label(), other.candidate().label(),
                lead, best.dPrime(), other.dPrime());
    }

    static float[] unit(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        float inv = (float) (1 / Math.sqrt(Math.max(s, 1e-24)));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inv;
        }
        return out;
    }

    private static float dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return (float) s;
    }

    /** Separation of genuine from impostor scores: difference of means over the pooled standard deviation. */
    static double dPrime(float[] scores, boolean[] genuine) {
        double[] sum = new double[2];
        double[] sq = new double[2];
        int[] n = new int[2];
        for (int i = 0; i < scores.length; i++) {
            int k = genuine[i] ? 1 : 0;
            sum[k] += scores[i];
            sq[k] += (double) scores[i] * scores[i];
            n[k]++;
        }
        if (n[0] < 2 || n[1] < 2) {
            return Double.NaN;
        }
        double m0 = sum[0] / n[0];
        double m1 = sum[1] / n[1];
        double v0 = sq[0] / n[0] - m0 * m0;
        double v1 = sq[1] / n[1] - m1 * m1;
        return (m1 - m0) / Math.sqrt((v0 + v1) / 2);
    }

    /**
     * The mirror test: on each photo the first eye must be the image-left one, and on the photo's mirror image the
     * two eyes must trade places (each nearer its swapped partner than its same-index one).
     *
     * @return the counts and the evidence line
     */
    static MirrorResult mirrorTest(ModelCache cache, String id, UserModels.UserModel m, List<Path> photos, Path work, PrintWriter log) {
        PipelineConfig config = PipelineConfig.defaults();
        config = "landmarks".equals(m.task())
                ? config.withOverrides(Map.of("detector.options.landmark-model", id))
                : config.withOverrides(Map.of("detector.model", id));
        int faces = 0;
        int leftFirst = 0;
        int swapped = 0;
        List<Double> errors = new ArrayList<>();
        try (FacePipeline p = Pipelines.create(config, cache)) {
            for (Path photo : photos) {
                Optional<AlignedFace> a = p.alignedSubject(photo);
                Path mirror = work.resolve("mirror-" + photo.getFileName() + ".png");
                int width = writeMirror(photo, mirror);
                Optional<AlignedFace> b = p.alignedSubject(mirror);
                if (a.isEmpty() || b.isEmpty()) {
                    continue;
                }
                faces++;
                Landmarks5 l = a.get().source().landmarks();
                Landmarks5 r = b.get().source().landmarks();
                if (l.imageLeftEye().x() < l.imageRightEye().x()) {
                    leftFirst++;
                }
                // Mirrored, the photo's image-right eye becomes the image-left eye (x' = width - x): the order holds when
                // each eye of the mirror image lies nearer its swapped partner than the same-index one.
                Point lMirrorRight = new Point(width - l.imageRightEye().x(), l.imageRightEye().y());
                Point lMirrorLeft = new Point(width - l.imageLeftEye().x(), l.imageLeftEye().y());
                if (distance(r.imageLeftEye(), lMirrorRight) < distance(r.imageLeftEye(), lMirrorLeft)
                        && distance(r.imageRightEye(), lMirrorLeft) < distance(r.imageRightEye(), lMirrorRight)) {
                    swapped++;
                }
                double iod = distance(l.imageLeftEye(), l.imageRightEye());
                errors.add(Math.max(distance(r.imageLeftEye(), lMirrorRight), distance(r.imageRightEye(), lMirrorLeft)) / iod);
            }
        }
        java.util.Collections.sort(errors);
        double median = errors.isEmpty() ? Double.NaN : errors.get(errors.size() / 2);
        String line = String.format(Locale.ROOT, "mirror test on %d photos (%d with a face in photo and mirror): first eye image-left on %d,"
                + " eyes trade places on the mirror image on %d (median eye error %.1f%% of the eye distance)", photos.size(), faces, leftFirst,
                swapped, 100 * median);
        log.println("  " + line);
        return new MirrorResult(photos.size(), faces, leftFirst, swapped, line);
    }

    /** The mirror test's counts: photos tried, faces found in both photo and mirror, and how many passed each check. */
    record MirrorResult(int photos, int faces, int leftFirst, int swapped, String evidence) {
    }

    private static double distance(Point a, Point b) {
        return Math.hypot(a.x() - b.x(), a.y() - b.y());
    }

    private static int writeMirror(Path photo, Path target) {
        try {
            BufferedImage img = javax.imageio.ImageIO.read(photo.toFile());
            if (img == null) {
                throw new FaceException(ErrorCode.IMAGE_DECODE_ERROR, photo + ": not an image");
            }
            AffineTransform flip = new AffineTransform(-1, 0, 0, 1, img.getWidth(), 0);
            BufferedImage out = new AffineTransformOp(flip, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(img, null);
            javax.imageio.ImageIO.write(out, "png", target.toFile());
            return img.getWidth();
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot mirror " + photo + ": " + e.getMessage(), e);
        }
    }
}
