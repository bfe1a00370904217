package dev.sameface.pipeline.models;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.engine.ModelSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What {@code models add} can prove about a model file from its graph alone: the input's name, layout and size,
 * whether the graph normalises its own input, and (for a detector) which family it belongs to, hence which plugin
 * decodes it. Everything else is a convention, named as such in {@link #unproven()} so that {@code models probe}
 * (or the user) can settle it.
 *
 * @param task      embedder, detector or landmarks
 * @param plugin    the stage plugin that reads it (null for a landmarks model: the detector chain names it)
 * @param input     how its input is fed
 * @param outputs   the graph's outputs, as {@code name[dims]}
 * @param evidence  one line per fact, saying what in the graph proves it
 * @param unproven  input fields that are conventions, not facts: {@code color}, {@code mean-scale}
 * @param normalises whether the graph normalises its own input (then it is fed 0..255)
 */
public record ModelDeclaration(String task, String plugin, ModelManifest.Input input, List<String> outputs,
                               List<String> evidence, List<String> unproven, boolean normalises) {
    public static final Set<String> TASKS = Set.of("embedder", "detector", "landmarks");
    /** Operators that, applied to the raw input, mean the graph does its own pixel normalisation. */
    private static final Set<String> NORMALISING = Set.of("Sub", "Mul", "Div", "Add", "BatchNormalization");
    /** Operators that only move the input around; the look for normalisation continues past them. */
    private static final Set<String> PASS_THROUGH = Set.of("Transpose", "Cast", "Identity", "Reshape");

    public ModelDeclaration {
        outputs = List.copyOf(outputs);
        evidence = List.copyOf(evidence);
        unproven = List.copyOf(unproven);
    }

    /**
     * Reads {@code file}'s graph and declares it for {@code task}.
     *
     * @param plugin the plugin the user names, or null to recognise it (detectors) or use the task's (embedders)
     * @throws FaceException CONFIG_ERROR for an unknown task, MODEL_INCOMPATIBLE for a graph no stage can feed or a
     *                       detector of no known family
     */
    public static ModelDeclaration examine(Path file, String task, String plugin) {
        if (task == null || !TASKS.contains(task)) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "--task is one of " + new java.util.TreeSet<>(TASKS) + ", got '" + task + "'");
        }
        return examine(OnnxGraph.read(file), file, task, plugin);
    }

    static ModelDeclaration examine(OnnxGraph g, Path file, String task, String plugin) {
        List<String> evidence = new ArrayList<>();
        List<String> unproven = new ArrayList<>();
        if (g.inputs().size() != 1) {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, file + " has " + g.inputs().size() + " inputs " + g.inputs()
                    + "; a sameface stage feeds one image tensor");
        }
        OnnxGraph.Value in = g.inputs().getFirst();
        long[] d = in.dims();
        if (d.length != 4 || in.elemType() != 1) {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, file + ": input " + in + " is not a float32 image batch of rank 4"
                    + " (N,C,H,W or N,H,W,C); elem type " + in.elemType());
        }
        ModelSpec.Layout layout;
        long channels;
        long h;
        long w;
        if (d[1] == 3 || d[1] == 1) {
            layout = ModelSpec.Layout.NCHW;
            channels = d[1];
            h = d[2];
            w = d[3];
        } else if (d[3] == 3 || d[3] == 1) {
            layout = ModelSpec.Layout.NHWC;
            channels = d[3];
            h = d[1];
            w = d[2];
        } else {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, file + ": input " + in + " has no channel dimension of 1 or 3 in"
                    + " position 1 (NCHW) or 3 (NHWC)");
        }
        evidence.add("input " + in + ": layout " + layout + ", " + channels + " channel" + (channels == 1 ? "" : "s")
                + (h > 0 && w > 0 ? ", " + w + "x" + h : ", dynamic size"));
        int width = (int) Math.max(w, 0);
        int height = (int) Math.max(h, 0);
        if ("embedder".equals(task) && (width == 0 || height == 0)) {
            width = 112;
            height = 112;
            evidence.add("dynamic input size: 112x112 assumed (the ArcFace crop the aligner makes)");
        }
        List<String> outputs = g.outputs().stream().map(OnnxGraph.Value::toString).toList();

        String normaliser = normaliser(g, in.name());
        boolean normalises = normaliser != null;
        evidence.add(normalises ? "the graph normalises its input itself (" + normaliser + " on the raw input): fed 0..255, mean 0, scale 1"
                : "the graph does not normalise its input (first nodes after it: " + firstOps(g, in.name()) + ")");

        ModelSpec.ColorOrder color = channels == 1 ? ModelSpec.ColorOrder.GRAY : ModelSpec.ColorOrder.RGB;
        double mean = 0;
        double scale = 1;
        String chosen = plugin;
        switch (task) {
            case "embedder" -> {
                if (g.outputs().size() != 1 || g.outputs().getFirst().dims().length != 2) {
                    throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, file + " has outputs " + outputs
                            + "; an embedder gives one [batch, dimensions] vector");
                }
                evidence.add("output " + outputs.getFirst() + ": one embedding vector");
                chosen = plugin != null ? plugin : "arcface";
                if (!normalises) {
                    // InsightFace's convention for ArcFace crops; probe measures it on photos.
                    mean = 127.5;
                    scale = 1 / 127.5;
                    unproven.add("mean-scale");
                }
                if (channels == 3) {
                    unproven.add("color");
                }
            }
            case "detector" -> {
                Family f = Family.recognise(g.outputs().stream().map(OnnxGraph.Value::name).toList(),
                        g.outputs().stream().map(v -> v.dims().length == 0 ? -1 : v.dims()[v.dims().length - 1]).toList());
                if (f == null && plugin == null) {
                    throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, file + ": outputs " + outputs + " match no detector family sameface"
                            + " knows (" + Family.KNOWN + "); name the plugin that decodes it with --plugin NAME");
                }
                if (f != null) {
                    evidence.add("outputs " + f.evidence + ": the " + f.family + " family, decoded by plugin '" + f.plugin + "'");
                    chosen = plugin != null ? plugin : f.plugin;
                    color = channels == 1 ? ModelSpec.ColorOrder.GRAY : f.color;
                    if (!normalises) {
                        mean = f.mean;
                        scale = f.scale;
                    }
                    evidence.add("colour " + color + (normalises ? "" : ", (x - " + number(mean) + ") * " + number(scale))
                            + ": the " + f.family + " family's convention (" + f.source + ")");
                } else {
                    unproven.add("color");
                    if (!normalises) {
                        unproven.add("mean-scale");
                    }
                }
            }
            default -> {
                if (!normalises) {
                    mean = 0;
                    scale = 1 / 255.0;
                    unproven.add("mean-scale");
                }
                if (channels == 3) {
                    unproven.add("color");
                }
            }
        }
        return new ModelDeclaration(task, chosen, new ModelManifest.Input(in.name(), color, mean, scale, layout, width, height),
                outputs, evidence, unproven, normalises);
    }

    /**
     * When the file is byte for byte a model the manifest knows (same sha256, same task), that model's recorded
     * feeding applies to it: identity is proof. Otherwise this declaration unchanged.
     */
    public ModelDeclaration knownAs(String sha256, ModelManifest manifest) {
        var known = manifest.models().entrySet().stream()
                .filter(e -> sha256.equals(e.getValue().sha256()) && task.equals(e.getValue().task()) && !"file".equals(e.getValue().source().client()))
                .findFirst();
        if (known.isEmpty()) {
            return this;
        }
        ModelManifest.Input k = known.get().getValue().input();
        List<String> ev = new ArrayList<>(evidence);
        ev.add("sha256 " + sha256.substring(0, 16) + "...: byte for byte the built-in model '" + known.get().getKey() + "', so its recorded"
                + " feeding applies: " + k.color() + ", (x - " + number(k.mean()) + ") * " + number(k.scale()));
        var in = new ModelManifest.Input(input.name(), k.color(), k.mean(), k.scale(), input.layout(), k.width() > 0 ? k.width() : input.width(),
                k.height() > 0 ? k.height() : input.height());
        return new ModelDeclaration(task, plugin, in, outputs, ev, List.of(), normalises);
    }

    /** The first normalising operator reached from the input through pass-through operators, or null. */
    private static String normaliser(OnnxGraph g, String input) {
        List<String> frontier = List.of(input);
        for (int depth = 0; depth < 3 && !frontier.isEmpty(); depth++) {
            List<String> next = new ArrayList<>();
            for (String t : frontier) {
                for (OnnxGraph.Node n : g.consumersOf(t)) {
                    if (NORMALISING.contains(n.opType())) {
                        return n.opType();
                    }
                    if (PASS_THROUGH.contains(n.opType())) {
                        next.addAll(n.outputs());
                    }
                }
            }
            frontier = next;
        }
        return null;
    }

    private static String firstOps(OnnxGraph g, String input) {
        List<String> ops = g.consumersOf(input).stream().map(OnnxGraph.Node::opType).distinct().toList();
        return ops.isEmpty() ? "none" : String.join(", ", ops);
    }

    /** A number as short as it is exact enough for a message: 127.5, 0.0078125, 128. */
    public static String number(double v) {
        String s = String.format(Locale.ROOT, "%.10g", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** Detector families known by their output names (or, for unnamed exports, their output structure). */
    record Family(String family, String plugin, ModelSpec.ColorOrder color, double mean, double scale, String source, String evidence) {
        static final String KNOWN = "SCRFD: score_/bbox_/kps_ per stride 8/16/32; YuNet: cls_/obj_/bbox_/kps_ per stride;"
                + " Ultra-Light: scores + boxes";
        private static final Pattern STRIDED = Pattern.compile("(score|bbox|kps|cls|obj)_(8|16|32)");

        static Family recognise(List<String> names, List<Long> lastDims) {
            java.util.Set<String> heads = new java.util.TreeSet<>();
            for (String n : names) {
                var m = STRIDED.matcher(n);
                if (m.matches()) {
                    heads.add(m.group(1));
                }
            }
            boolean strided = names.stream().allMatch(n -> STRIDED.matcher(n).matches());
            if (strided && heads.containsAll(Set.of("cls", "obj", "bbox"))) {
                return new Family("YuNet", "yunet", ModelSpec.ColorOrder.BGR, 0, 1, "OpenCV FaceDetectorYN feeds BGR 0..255",
                        String.join(", ", names));
            }
            if (strided && heads.containsAll(Set.of("score", "bbox")) && !heads.contains("cls")) {
                return scrfd(String.join(", ", names));
            }
            // InsightFace's own SCRFD exports (det_10g.onnx, det_500m.onnx) carry numeric names: recognised, as its
            // scrfd.py does, by structure: per stride (3, or 5 for the deeper exports) a score [n,1], then a box
            // [n,4], then five points [n,10].
            if ((names.size() == 9 || names.size() == 15) && lastDims.size() == names.size()) {
                int k = names.size() / 3;
                long[] want = {1, 4, 10};
                boolean shaped = true;
                for (int i = 0; i < names.size(); i++) {
                    shaped &= lastDims.get(i) == want[i / k];
                }
                if (shaped) {
                    return scrfd(names.size() + " outputs shaped [n,1] x" + k + ", [n,4] x" + k + ", [n,10] x" + k + " (an SCRFD _kps export"
                            + " without head names)");
                }
            }
            if (names.size() == 2 && names.contains("scores") && names.contains("boxes")) {
                return new Family("Ultra-Light", "ultralight", ModelSpec.ColorOrder.RGB, 127, 1 / 128.0,
                        "Linzaer's Ultra-Light-Fast-Generic-Face-Detector feeds RGB (x - 127) / 128", "scores, boxes");
            }
            return null;
        }

        private static Family scrfd(String evidence) {
            return new Family("SCRFD", "scrfd", ModelSpec.ColorOrder.RGB, 127.5, 1 / 128.0,
                    "InsightFace's scrfd.py feeds RGB (x - 127.5) / 128", evidence);
        }
    }
}
