package dev.sameface.cli;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.SamefaceHome;
import dev.sameface.pipeline.models.CacheLock;
import dev.sameface.pipeline.models.ModelDeclaration;
import dev.sameface.pipeline.models.ModelManifest;
import dev.sameface.pipeline.models.Sha256;
import dev.sameface.pipeline.models.UserModels;
import dev.sameface.pipeline.registry.StageRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "add", description = {"Declare a model from your own ONNX file, in one step. Reads the graph and fills in what it proves:",
        "input name, layout and size, whether the graph normalises its input, and for a detector its family (hence the",
        "plugin that decodes it); computes the sha256 and records the entry in $SAMEFACE_HOME/user-models.yaml",
        "(SAMEFACE_USER_MODELS to keep it elsewhere). The file is read in place and refused once its sha256 changes.",
        "Then: --set embedder.model=ID (or detector.model=ID) on any engine. What the graph cannot tell (colour order,",
        "mean/scale when it does not normalise) is measured by: sameface models probe ID --photos DIR."})
final class ModelsAddCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The model's ONNX file.")
    Path file;

    @Option(names = "--task", required = true, paramLabel = "embedder|detector|landmarks", description = "What the model does.")
    String task;

    @Option(names = "--id", paramLabel = "NAME", description = "The model's id (default: the file name, lower-cased).")
    String id;

    @Option(names = "--plugin", paramLabel = "NAME", description = "The plugin that reads it, when its family is not recognised.")
    String plugin;

    @Option(names = "--licence", paramLabel = "TEXT", description = "The weights' licence, shown by models list.")
    String licence;

    @Option(names = "--replace", description = "Declare again an id declared before (after you changed its file on purpose).")
    boolean replace;

    @Option(names = "--print", description = "Print the entry (a user-models.yaml block) and record nothing.")
    boolean print;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path abs = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "no such file: " + file);
        }
        ModelManifest builtIn = ModelManifest.load();
        String sha256 = Sha256.of(abs);
        ModelDeclaration d = ModelDeclaration.examine(abs, task, plugin).knownAs(sha256, builtIn);
        String name = id != null ? id : defaultId(abs);
        var model = new UserModels.UserModel(task, d.plugin(), abs.toString(), sha256, d.input(), d.outputs(), d.evidence(),
                d.unproven(), licence, d.normalises());
        Path home = SamefaceHome.resolve();
        Path where = UserModels.location(home);
        if (print) {
            UserModels one = new UserModels(Map.of(name, model));
            one.addTo(builtIn, where);
            out.print(one.toYaml());
        } else {
            // Under the cache lock: two declarations at once must not lose one another's entry.
            try (CacheLock lock = CacheLock.acquire(home, out::println)) {
                UserModels all = UserModels.read(where);
                UserModels.UserModel before = all.models().get(name);
                if (before != null && !replace) {
                    throw new FaceException(ErrorCode.CONFIG_ERROR, "model '" + name + "' is declared already (from " + before.file()
                            + "); pass --replace to declare it again, or choose another --id");
                }
                UserModels next = all.with(name, model);
                next.addTo(builtIn, where);
                next.write(where);
            }
            out.println("declared " + name + " (" + task + (d.plugin() == null ? "" : ", plugin " + d.plugin()) + ") in " + where);
        }
        out.println("  file:   " + abs);
        out.println("  sha256: " + model.sha256());
        for (String e : d.evidence()) {
            out.println("  evidence: " + e);
        }
        if (!d.unproven().isEmpty()) {
            out.println("  not proven by the graph: " + String.join(", ", d.unproven()) + " (now " + d.input().color() + ", mean "
                    + d.input().mean() + ", scale " + d.input().scale() + "); measure them: sameface models probe " + name + " --photos DIR");
        }
        if (d.plugin() != null && !pluginPresent(d.plugin())) {
            out.println("  note: plugin '" + d.plugin() + "' is not on the class path yet; pipelines with this model need it");
        }
        out.println("  use it: " + switch (task) {
            case "embedder" -> "--set embedder.model=" + name;
            case "detector" -> "--set detector.model=" + name;
            default -> "--set detector.options.landmark-model=" + name + " (with the ultralight detector)";
        });
        return 0;
    }

    private boolean pluginPresent(String name) {
        StageRegistry r = StageRegistry.load();
        return switch (task) {
            case "detector" -> r.detectors().containsKey(name);
            case "embedder" -> r.embedders().containsKey(name);
            default -> true;
        };
    }

    /** {@code w600k_r50.onnx} becomes {@code w600k_r50}: the file's name, lower-cased, in the manifest's id alphabet. */
    static String defaultId(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        n = (dot > 0 ? n.substring(0, dot) : n).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "");
        if (n.isEmpty()) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, file + ": cannot make an id from the file name; pass --id NAME");
        }
        return n.length() > 64 ? n.substring(0, 64) : n;
    }
}
