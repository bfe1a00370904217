package dev.sameface.cli;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.evaluation.LfwPairsProtocol;
import dev.sameface.evaluation.PairSet;
import dev.sameface.pipeline.models.CacheLock;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.models.ModelManifest;
import dev.sameface.pipeline.models.UserModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "probe", description = {"Measure what a declared model's graph cannot tell, on photos, and report it with its evidence.",
        "Embedder: colour order (RGB/BGR) and, when the graph does not normalise, mean/scale, by LFW-style 10-fold",
        "accuracy on a few hundred pairs of pairs.txt, every candidate on the same aligned crops.",
        "Detector or landmark model: landmark order by the mirror test. --write records the findings in the entry."})
final class ModelsProbeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "A model declared with sameface models add.")
    String id;

    @Option(names = "--photos", required = true, paramLabel = "DIR", description = "LFW: a folder with pairs.txt and images_deepfunneled/ "
            + "(or the person folders themselves).")
    Path photos;

    @Option(names = "--pairs", defaultValue = "600", paramLabel = "N", description = "Pairs to measure on (default ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--write", description = "Record the measured colour order and scaling (and the evidence) in the model's entry.")
    boolean write;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ModelCache cache = ModelCache.standard();
        Path where = UserModels.location(cache.home());
        UserModels.UserModel m = UserModels.read(where).model(id);
        Path pairsFile = photos.resolve("pairs.txt");
        if (!Files.isRegularFile(pairsFile)) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "no pairs.txt in " + photos + " (the probe uses LFW's layout: pairs.txt"
                    + " beside images_deepfunneled/)");
        }
        Path root = Files.isDirectory(photos.resolve("images_deepfunneled")) ? photos.resolve("images_deepfunneled") : photos;
        PairSet set = LfwPairsProtocol.read(pairsFile, root, false);
        if ("embedder".equals(m.task())) {
            ModelProbe.EmbedderResult r = ModelProbe.embedder(cache, id, m, set, pairs, out);
            r.evidence().forEach(e -> out.println("  " + e));
            ModelProbe.Candidate now = new ModelProbe.Candidate(m.input().color(), m.input().mean(), m.input().scale());
            boolean agrees = now.color() == r.best().color() && ModelProbe.sameScaling(now, r.best());
            out.println("  the entry says " + now.label() + (agrees ? ": the probe agrees" : ": the probe's best is " + r.best().label()
                    + (write ? "" : " (--write records it)")));
            if (write) {
                ModelProbe.Candidate best = r.best();
                ModelManifest.Input in = m.input();
                var measured = new ModelManifest.Input(in.name(), best.color(), best.mean(), best.scale(), in.layout(), in.width(), in.height());
                // A tie stays on record as unproven: the entry must not claim more than the sample showed.
                List<String> still = r.undecided();
                record(where, cache, m.withInput(measured, r.evidence(), still), out);
            }
        } else {
            List<Path> sample = new ArrayList<>();
            for (int i : ModelProbe.spread(set, 20)) {
                sample.add(set.images().get(set.left()[i]));
            }
            Path work = Files.createTempDirectory("sameface-probe");
            try {
                List<String> ev = List.of(ModelProbe.mirrorTest(cache, id, m, sample, work, out).evidence());
                if (write) {
                    record(where, cache, m.withInput(m.input(), ev, m.unproven()), out);
                }
            } finally {
                try (var files = Files.list(work)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(work);
            }
        }
        return 0;
    }

    private void record(Path where, ModelCache cache, UserModels.UserModel updated, PrintWriter out) {
        try (CacheLock lock = CacheLock.acquire(cache.home(), out::println)) {
            UserModels.read(where).with(id, updated).write(where);
        }
        ModelSpec.ColorOrder c = updated.input().color();
        out.println("recorded in " + where + ": " + id + " is fed " + c + ", mean " + updated.input().mean() + ", scale "
                + updated.input().scale() + (updated.unproven().isEmpty() ? "" : "; still unproven: " + String.join(", ", updated.unproven())));
    }
}
