package dev.sameface.cli;

import dev.sameface.pipeline.files.AtomicFiles;
import dev.sameface.pipeline.models.ChildProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sameface.api.AlignedFace;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.api.engine.Tensor;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.kit.ImageOps;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.models.QuantisedSidecar;
import dev.sameface.pipeline.models.Sha256;
import dev.sameface.pipeline.registry.CpuFeatures;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code sameface models prepare --precision int8 ID}: makes the int8 copy of an embedder and holds it to its
 * accuracy gate.
 * <ol>
 * <li>Calibration people: LFW people with exactly one photo who are not in pairs.txt. They own no genuine pair and
 * no pairs.txt comparison, and the gate's protocol leaves them out, so no calibration photo is ever scored.</li>
 * <li>Their aligned crops, through the Java pipeline exactly as the embedder receives them, written as raw f32.</li>
 * <li>{@code tools/quantize/prepare.sh}: ONNX Runtime's static QDQ quantiser in a pinned venv, with the model's
 * recipe from {@code tools/quantize/recipes.json}.</li>
 * <li>The gate: {@code sameface evaluate}, LFW all pairs minus the calibration people, f32 and int8 in one run;
 * int8 passes when its FNMR at the target FMR is within the allowed relative increase of f32's.</li>
 * <li>The sidecar beside the int8 file records both FNMRs and thresholds, the verdict, the date, the CPU and the
 * hashes. A failed copy stays on disk with its sidecar, so {@code int8} is refused with the numbers.</li>
 * </ol>
 */
final class Int8Preparation {
    static final double TARGET_FMR = 1e-3;
    static final double MAX_RELATIVE_INCREASE = 0.05;

    private final ModelCache cache;
    private final Path tools;
    private final Path lfw;
    private final PrintWriter out;

    Int8Preparation(ModelCache cache, Path tools, Path lfw, PrintWriter out) {
        this.cache = cache;
        this.tools = tools;
        this.lfw = lfw;
        this.out = out;
    }

    /** People with exactly one photo who are not named in pairs.txt, sorted by name. */
    static List<Path> calibrationPeople(Path root, Path pairsTxt) {
        Set<String> inPairs = new HashSet<>();
        try (Stream<String> lines = Files.lines(pairsTxt)) {
            lines.skip(1).forEach(l -> {
                for (String token : l.trim().split("\\s+")) {
                    if (!token.isEmpty() && !Character.isDigit(token.charAt(0))) {
                        inPairs.add(token);
                    }
                }
            });
        } catch (IOException e) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "cannot read " + pairsTxt + ": " + e.getMessage(), e);
        }
        try (Stream<Path> people = Files.list(root)) {
            return people.filter(Files::isDirectory)
                    .filter(p -> !inPairs.contains(p.getFileName().toString()))
                    .filter(p -> photos(p).size() == 1)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> photos(Path person) {
        try (Stream<Path> s = Files.list(person)) {
            return s.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jpg")).sorted().toList();
        } catch (IOException e) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "cannot list " + person + ": " + e.getMessage(), e);
        }
    }

    void prepare(String id, int calibrationImages, long impostors, boolean force) throws IOException, InterruptedException {
        var entry = cache.manifest().model(id);
        JsonNode recipe = recipe(tools, id);
        if (!force) {
            try {
                QuantisedSidecar s = cache.int8Sidecar(id);
                if (upToDate(s, recipe)) {
                    out.println(id + ": int8 copy is up to date (" + (s.speedOnly() ? "speed-only, no gate" : s.gate().summary())
                            + ", " + s.created() + "); --force to make it again");
                    return;
                }
                if (s.isFinished()) {
                    out.println(id + ": the int8 copy was made with " + (s.recipe() == null ? "an unrecorded recipe" : "another recipe")
                            + " than tools/quantize/recipes.json's; making it again");
                }
            } catch (FaceException e) {
                // missing, stale or ungated: make it
            }
        }
        if (!"embedder".equals(entry.task())) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "int8 preparation covers embedders (calibrated on aligned crops); "
                    + id + " is a " + entry.task());
        }
        Path root = lfw.resolve("images_deepfunneled");
        Path pairsTxt = lfw.resolve("pairs.txt");
        if (!Files.isDirectory(root) || !Files.isRegularFile(pairsTxt)) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "int8 calibration and its gate need LFW: " + root + " and " + pairsTxt
                    + " (give --lfw DIR)");
        }
        Path source = cache.source(id).file(dev.sameface.api.engine.ModelFormat.ONNX).orElseThrow();
        Path work = cache.home().resolve("tools").resolve("quantize-work").resolve(id);
        Files.createDirectories(work);

        List<Path> people = calibrationPeople(root, pairsTxt);
        Set<String> excluded = new HashSet<>();
        people.forEach(p -> excluded.add(p.getFileName().toString()));
        out.printf(Locale.ROOT, "%s: %d LFW people have one photo and are not in pairs.txt; calibrating on up to %d of them%n",
                id, people.size(), calibrationImages);

        ModelSpec spec = cache.manifest().model(id).spec(id);
        Path calibration = work.resolve("calibration.f32");
        // An untrained (speed-only) embedder cannot run in a pipeline; its inputs are the same aligned crops, which
        // the default pipeline makes, prepared with the model's own spec.
        boolean speedOnly = entry.untrained();
        int written = writeCalibration(id, people, calibrationImages, spec, calibration, speedOnly);

        Path candidate = QuantisedSidecar.modelFile(cache.home(), id);
        Path sidecar = QuantisedSidecar.sidecarFile(candidate);
        Files.deleteIfExists(sidecar);
        String lastLine = "";
        try (ChildProcess child = ChildProcess.start(new ProcessBuilder("bash", tools.resolve("quantize").resolve("prepare.sh").toString(),
                cache.home().toString(), id, source.toString(), candidate.toString(), calibration.toString(),
                "3," + spec.height() + "," + spec.width()).redirectErrorStream(true))) {
            Process p = child.process();
            try (var r = p.inputReader()) {
                for (String line; (line = r.readLine()) != null; ) {
                    out.println("  " + line);
                    lastLine = line;
                }
            }
            if (p.waitFor() != 0) {
                throw new FaceException(ErrorCode.FETCH_FAILED, "quantising " + id + " failed (exit " + p.exitValue() + "); see its output above");
            }
        }
        JsonNode q = new ObjectMapper().readTree(lastLine);
        String cpu = CpuFeatures.current().model();
        var calib = new QuantisedSidecar.Calibration(written, people.size() < calibrationImages ? people.size() : calibrationImages,
                "LFW people with exactly one photo, not in pairs.txt, every k-th by name; left out of the gate's protocol", root.toString());
        if (speedOnly) {
            // No gate: an untrained model makes no decisions to hold it to. Pipelines refuse the copy (and the model).
            new QuantisedSidecar(QuantisedSidecar.FORMAT, "int8", entry.sha256(), Sha256.of(candidate), q.path("method").asText(),
                    recipe, calib, null, true, Instant.now().toString(), cpu).write(sidecar);
            out.printf(Locale.ROOT, "%s: speed-only int8 copy (untrained weights, no accuracy gate; held-out cosine to f32 median "
                            + "%.4f, min %.4f) -> %s; sameface bench-models --precisions f32,int8 times it as %s%n", id,
                    q.path("holdout_median_cosine").asDouble(), q.path("holdout_min_cosine").asDouble(), sidecar, PrecisionVariants.SPEED_ONLY);
            return;
        }
        QuantisedSidecar pending = new QuantisedSidecar(QuantisedSidecar.FORMAT, "int8", entry.sha256(), Sha256.of(candidate),
                q.path("method").asText(), recipe, calib, null, false, Instant.now().toString(), cpu);
        pending.write(sidecar);

        QuantisedSidecar.Gate gate = gate(id, root, excluded, impostors, work);
        QuantisedSidecar done = new QuantisedSidecar(QuantisedSidecar.FORMAT, "int8", entry.sha256(), pending.sha256(), pending.method(),
                recipe, calib, gate, false, Instant.now().toString(), cpu);
        done.write(sidecar);
        out.println(id + ": int8 " + gate.summary() + " -> " + sidecar);
        if (!gate.passed()) {
            // A verdict, not an error of the set-up: it is recorded, and precision int8 is refused with these numbers.
            out.println(id + ": precision int8 will be refused and precision auto will not pick it");
        }
    }

    /**
     * A gated copy (passed or failed: its verdict stands) or a speed-only one, made with {@code recipe}: kept unless
     * --force.
     */
    static boolean upToDate(QuantisedSidecar sidecar, JsonNode recipe) {
        return sidecar.isFinished() && recipe.equals(sidecar.recipe());
    }

    /**
     * The model's recipe in {@code tools/quantize/recipes.json} (quantize.py reads the same entry), without its "why":
     * what decides the copy, so that a copy made with another recipe is made again instead of being kept.
     */
    static JsonNode recipe(Path tools, String id) {
        Path file = tools.resolve("quantize").resolve("recipes.json");
        try {
            JsonNode all = new ObjectMapper().readTree(file.toFile());
            JsonNode entry = all.has(id) ? all.get(id) : all.get("default");
            if (!(entry instanceof ObjectNode o)) {
                throw new IOException("no \"" + id + "\" or \"default\" object");
            }
            ObjectNode copy = o.deepCopy();
            copy.remove("why");
            return copy;
        } catch (IOException e) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "cannot read the quantisation recipe of " + id + " from " + file + ": "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** Every k-th calibration person's aligned crop, as the embedder's input tensor, appended as raw f32. */
    private int writeCalibration(String id, List<Path> people, int wanted, ModelSpec spec, Path file, boolean speedOnly)
            throws IOException {
        int step = Math.max(1, people.size() / Math.max(1, wanted));
        int[] written = {0};
        PipelineConfig f32 = speedOnly ? PipelineConfig.defaults()
                : PipelineConfig.defaults().withEmbedder(PipelineConfig.defaults().embedder().withModel(id));
        try (FacePipeline pipeline = Pipelines.create(f32)) {
            AtomicFiles.write(file, os -> {
                int n = 0;
                for (int i = 0; i < people.size() && n < wanted; i += step) {
                    Optional<AlignedFace> face = pipeline.alignedSubject(photos(people.get(i)).getFirst());
                    if (face.isEmpty()) {
                        continue;
                    }
                    Image crop = face.get().crop();
                    // Exactly the embedder's own preparation of its crop (ArcFaceEmbedder).
                    Tensor t = ImageOps.toTensor(crop, 0, 0, crop.width(), crop.height(), crop.width(), crop.height(), spec);
                    float[] values = t.toArray();
                    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    b.asFloatBuffer().put(values);
                    os.write(b.array());
                    n++;
                }
                written[0] = n;
            });
        }
        int n = written[0];
        out.printf(Locale.ROOT, "%s: %d aligned calibration crops -> %s%n", id, n, file);
        if (n < 64) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "only " + n + " calibration crops could be made; need at least 64");
        }
        return n;
    }

    /**
     * Runs {@code sameface evaluate} on LFW all pairs without the calibration people (a folder of links to every other
     * person's folder), f32 and the int8 candidate in one run.
     */
    private QuantisedSidecar.Gate gate(String id, Path root, Set<String> excluded, long impostors, Path work) throws IOException {
        Path gateRoot = work.resolve("gate-root");
        if (Files.exists(gateRoot)) {
            try (Stream<Path> old = Files.list(gateRoot)) {
                for (Path l : old.toList()) {
                    Files.delete(l);
                }
            }
        }
        Files.createDirectories(gateRoot);
        try (Stream<Path> people = Files.list(root)) {
            for (Path person : people.filter(Files::isDirectory).toList()) {
                if (!excluded.contains(person.getFileName().toString())) {
                    Files.createSymbolicLink(gateRoot.resolve(person.getFileName()), person.toAbsolutePath());
                }
            }
        }
        Path outDir = work.resolve("gate");
        // The f32 configuration with this embedder; the int8 one is the same plus its precision.
        Path config = work.resolve("gate-f32.yaml");
        AtomicFiles.writeString(config, PipelineConfig.defaults().withEmbedder(PipelineConfig.defaults().embedder().withModel(id)).toYaml());
        String fmr = String.format(Locale.ROOT, "%.0e", TARGET_FMR);
        String previous = System.setProperty(QuantisedSidecar.CANDIDATE_PROPERTY, id);
        int code;
        try {
            code = SamefaceCommand.commandLine().execute("evaluate", "--protocol", "folders", "--root", gateRoot.toString(),
                    "--impostors", Long.toString(impostors), "--fmr", fmr, "--out", outDir.toString(),
                    "--config", config.toString(), "--set", "embedder.precision=int8");
        } finally {
            if (previous == null) {
                System.clearProperty(QuantisedSidecar.CANDIDATE_PROPERTY);
            } else {
                System.setProperty(QuantisedSidecar.CANDIDATE_PROPERTY, previous);
            }
        }
        if (code != 0) {
            throw new FaceException(ErrorCode.INFERENCE_ERROR, "the int8 gate's evaluation failed (exit " + code + "); see its output above");
        }
        JsonNode result = new ObjectMapper().readTree(outDir.resolve("result.json").toFile());
        JsonNode configs = result.path("configurations");
        JsonNode f = point(configs.get(0), TARGET_FMR);
        JsonNode q = point(configs.get(1), TARGET_FMR);
        double fnmrF32 = f.path("fnmr").asDouble();
        double fnmrInt8 = q.path("fnmr").asDouble();
        String protocol = "sameface evaluate --protocol folders: LFW images_deepfunneled without the " + excluded.size()
                + " calibration-eligible people (" + result.path("protocol").path("images").asInt() + " photos), "
                + impostors + " impostors, seed " + result.path("protocol").path("seed").asLong();
        return new QuantisedSidecar.Gate(protocol, TARGET_FMR, MAX_RELATIVE_INCREASE, fnmrF32, f.path("threshold").asDouble(),
                fnmrInt8, q.path("threshold").asDouble(), f.path("genuine").asLong(), f.path("impostors").asLong(),
                QuantisedSidecar.Gate.passes(fnmrF32, fnmrInt8, MAX_RELATIVE_INCREASE));
    }

    private static JsonNode point(JsonNode configuration, double fmr) {
        for (JsonNode p : configuration.path("operating_points")) {
            if (Math.abs(p.path("target_fmr").asDouble() - fmr) < fmr * 1e-6 && "ok".equals(p.path("status").asText())) {
                return p;
            }
        }
        throw new FaceException(ErrorCode.INTERNAL_ERROR, "the gate's evaluation has no measured FNMR at FMR " + fmr + " for "
                + configuration.path("label").asText());
    }
}
