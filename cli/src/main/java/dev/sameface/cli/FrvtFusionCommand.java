package dev.sameface.cli;

import dev.sameface.api.Embedding;
import dev.sameface.api.FaceException;
import dev.sameface.api.Template;
import dev.sameface.evaluation.OperatingPoint;
import dev.sameface.evaluation.Progress;
import dev.sameface.evaluation.ScoreSet;
import dev.sameface.evaluation.TemplateStore;
import dev.sameface.frvt.Frvt11;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "frvt-fusion", description = {"Measure what multi-photo enrolment (Frvt11's fusion: the normalised mean of the "
        + "photos' embeddings) buys on LFW: every person with at least 4 photos enrols photos 1..k (k = 1, 2, 3) and is "
        + "verified with photos 4.. (at most --probes), against every other person's probes as impostors; FNMR at FMR 1e-3 "
        + "with the evaluation's statistics. The probe set is the same for every k. Templates come from (and go to) the "
        + "evaluation's template store."})
final class FrvtFusionCommand implements Callable<Integer> {
    @Option(names = "--lfw", paramLabel = "DIR", description = "LFW's images_deepfunneled (default: ${DEFAULT-VALUE}).")
    Path lfw = Path.of("../shared/data/lfw/images_deepfunneled");

    @Option(names = "--probes", paramLabel = "N", description = "Verification photos per person at most (default: ${DEFAULT-VALUE}); "
            + "caps the weight of the few people with hundreds of photos.")
    int probes = 5;

    @Option(names = "--fmr", description = "Target false-match rate (default: ${DEFAULT-VALUE}).")
    double fmr = 1e-3;

    @Mixin
    PipelineOptions pipelineOptions;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<List<Path>> people = new ArrayList<>();
        try (Stream<Path> s = Files.list(lfw)) {
            for (Path dir : s.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> f = Files.list(dir)) {
                    List<Path> photos = f.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
                    if (photos.size() >= 4) {
                        people.add(photos.subList(0, Math.min(photos.size(), 3 + probes)));
                    }
                }
            }
        }
        var out = spec.commandLine().getOut();
        Map<Path, Embedding> embeddings = new HashMap<>();
        try (FacePipeline pipeline = Pipelines.create(pipelineOptions.resolve());
             TemplateStore store = TemplateStore.open(TemplateStore.defaultDirectory(), pipeline.identity().canonicalText())) {
            long photos = people.stream().mapToLong(List::size).sum();
            try (Progress.Bar bar = Progress.forConsole(false).start("templates", photos)) {
                for (List<Path> person : people) {
                    for (Path p : person) {
                        byte[] key = TemplateStore.digest(p);
                        Template t = store.get(key);
                        if (t == null) {
                            t = createOrFail(pipeline, p);
                            store.put(key, t);
                        }
                        embeddings.put(p, t.isFailed() ? null : t.embedding());
                        bar.step();
                    }
                }
            }
        }
        out.printf(Locale.ROOT, "%d people with 4+ photos, %d probes; FNMR at FMR %.0e (threshold from each k's own impostors)%n",
                people.size(), people.stream().mapToInt(p -> p.size() - 3).sum(), fmr);
        out.printf(Locale.ROOT, "%-22s %9s %10s %10s %26s %22s%n", "enrolment", "genuine", "impostors", "threshold", "FNMR [95% CI]",
                "per identity");
        for (int k = 1; k <= 3; k++) {
            OperatingPoint op = score(people, embeddings, k).operatingPoint(fmr, 42);
            out.printf(Locale.ROOT, "%-22s %9d %10d %10s %26s %22s%n", k + (k == 1 ? " photo" : " photos fused"), op.genuine(),
                    op.impostors(), op.measured() ? String.format(Locale.ROOT, "%.4f", op.threshold()) : op.status(),
                    op.measured() ? String.format(Locale.ROOT, "%.3f%% [%.3f, %.3f]", 100 * op.fnmr(), 100 * op.fnmrInterval().low(),
                            100 * op.fnmrInterval().high()) : "-",
                    op.measured() ? String.format(Locale.ROOT, "%.3f%%", 100 * op.fnmrPerIdentity()) : "-");
        }
        return 0;
    }

    /** A failed template for a photo the pipeline cannot read: it counts as a non-match, NIST's way. */
    private static Template createOrFail(FacePipeline pipeline, Path p) {
        try {
            return pipeline.createTemplate(p);
        } catch (FaceException e) {
            return Template.failed(pipeline.modelFingerprint(), e.code());
        }
    }

    /** Cosine scores of enrolments fused from photos 1..k against probes 4..; a failed side scores -Infinity. */
    static ScoreSet score(List<List<Path>> people, Map<Path, Embedding> embeddings, int k) {
        List<Embedding> enrol = new ArrayList<>();
        for (List<Path> person : people) {
            List<Embedding> good = person.subList(0, k).stream().map(embeddings::get).filter(e -> e != null).toList();
            enrol.add(good.isEmpty() ? null : Frvt11.fuse(good));
        }
        List<Float> genuine = new ArrayList<>();
        List<Integer> subject = new ArrayList<>();
        int probeCount = people.stream().mapToInt(p -> p.size() - 3).sum();
        float[] impostor = new float[(int) ((long) probeCount * (people.size() - 1))];
        int n = 0;
        for (int a = 0; a < people.size(); a++) {
            for (int b = 0; b < people.size(); b++) {
                for (Path probe : people.get(b).subList(3, people.get(b).size())) {
                    Embedding e = enrol.get(a);
                    Embedding v = embeddings.get(probe);
                    float s = e == null || v == null ? Float.NEGATIVE_INFINITY : (float) e.dot(v);
                    if (a == b) {
                        genuine.add(s);
                        subject.add(a);
                    } else {
                        impostor[n++] = s;
                    }
                }
            }
        }
        float[] g = new float[genuine.size()];
        int[] subj = new int[genuine.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = genuine.get(i);
            subj[i] = subject.get(i);
        }
        return new ScoreSet(g, subj, impostor);
    }
}
