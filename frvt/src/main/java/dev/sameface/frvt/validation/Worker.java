package dev.sameface.frvt.validation;

import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.frvt.EyePair;
import dev.sameface.frvt.FaceImage;
import dev.sameface.frvt.Frvt11;
import dev.sameface.frvt.MatchResult;
import dev.sameface.frvt.ReturnCode;
import dev.sameface.frvt.TemplateResult;
import dev.sameface.frvt.TemplateRole;
import dev.sameface.pipeline.image.ImageDecoder;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * One worker process of a validation run, as NIST runs its implementation: single-threaded, its share of one
 * input list (lines {@code from} to {@code to}), one log line per input line, flushed as it goes (the parent counts
 * them for its progress bar). It never stops at a bad input: every failure is a return code in the log. At the end
 * it writes its timings and thread census to a properties file.
 *
 * <p>Arguments: {@code enroll|verif|match configDir dataDir listFile from to templatesDir logFile statsFile}.
 */
public final class Worker {
    private Worker() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 9) {
            System.err.println("usage: Worker enroll|verif|match configDir dataDir listFile from to templatesDir logFile statsFile");
            System.exit(2);
        }
        String phase = args[0];
        Path configDir = Path.of(args[1]);
        Path dataDir = Path.of(args[2]);
        List<String> lines = InputList.lines(Path.of(args[3])).subList(Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        Path templates = Path.of(args[6]);
        Path log = Path.of(args[7]);
        Path stats = Path.of(args[8]);

        long t0 = System.nanoTime();
        Properties p = new Properties();
        try (Frvt11 frvt = Frvt11.initialize(configDir);
             BufferedWriter out = Files.newBufferedWriter(log)) {
            p.setProperty("initMs", fmt((System.nanoTime() - t0) / 1e6));
            if ("match".equals(phase)) {
                warmUpMatching(frvt, templates, lines);
            }
            ThreadCensus before = ThreadCensus.take();
            long w0 = System.nanoTime();
            List<Double> perItemMs = new ArrayList<>();
            List<Double> cpuMs = new ArrayList<>();
            var threadBean = java.lang.management.ManagementFactory.getThreadMXBean();
            for (String line : lines) {
                long s = System.nanoTime();
                long c = threadBean.getCurrentThreadCpuTime();
                if ("match".equals(phase)) {
                    // NIST times the comparison, not the harness reading template files.
                    out.write(match(frvt, templates, InputList.matchLine(line), perItemMs));
                } else {
                    InputList.TemplateLine t = InputList.templateLine(line);
                    out.write(template(frvt, dataDir, templates, t, "enroll".equals(phase) ? TemplateRole.ENROLLMENT_11
                            : TemplateRole.VERIFICATION_11));
                    perItemMs.add((System.nanoTime() - s) / 1e6 / t.images().size());
                    // CPU time of this thread too: on a shared machine wall time measures the neighbours as well.
                    cpuMs.add((threadBean.getCurrentThreadCpuTime() - c) / 1e6 / t.images().size());
                }
                out.newLine();
                out.flush();
            }
            long wall = System.nanoTime() - w0;
            ThreadCensus after = ThreadCensus.take();
            List<String> busy = after.busySince(before);
            p.setProperty("items", Integer.toString(perItemMs.size()));
            p.setProperty("perItemMs", String.join(",", perItemMs.stream().map(Worker::fmt).toList()));
            p.setProperty("cpuMs", String.join(",", cpuMs.stream().map(Worker::fmt).toList()));
            p.setProperty("busyThreads", Integer.toString(busy.size()));
            p.setProperty("busyThreadNames", String.join(" ", busy));
            p.setProperty("osThreads", Integer.toString(after.total()));
            p.setProperty("workMs", fmt(wall / 1e6));
        }
        try (var w = Files.newBufferedWriter(stats)) {
            p.store(w, "sameface frvt-validate worker " + phase);
        }
    }

    /** {@code id image templateSizeBytes returnCode isLeftAssigned isRightAssigned xleft yleft xright yright}. */
    static String template(Frvt11 frvt, Path dataDir, Path templates, InputList.TemplateLine line, TemplateRole role) throws IOException {
        List<FaceImage> faces = new ArrayList<>();
        List<Boolean> decoded = new ArrayList<>();
        FaceException unreadable = null;
        for (InputList.ImageRef ref : line.images()) {
            try {
                Image img = ImageDecoder.DEFAULT.decode(dataDir.resolve(ref.path()));
                faces.add(new FaceImage(img, ref.description()));
                decoded.add(true);
            } catch (FaceException e) {
                decoded.add(false);
                if (unreadable == null) {
                    unreadable = e;
                }
            }
        }
        TemplateResult r = faces.isEmpty()
                ? frvt.failedTemplate(unreadable.code(), line.images().size(), unreadable.getMessage())
                : frvt.createFaceTemplate(faces, role);
        // One EyePair per listed image: an image that could not be decoded has unassigned eyes in its place.
        List<EyePair> eyes = new ArrayList<>();
        int next = 0;
        for (boolean ok : decoded) {
            eyes.add(ok ? r.eyes().get(next++) : EyePair.UNASSIGNED);
        }
        byte[] bytes = r.template();
        Files.write(templates.resolve(line.id() + ".template"), bytes);
        EyePair e = eyes.isEmpty() ? EyePair.UNASSIGNED : eyes.getFirst();
        return String.join(" ", line.id(), line.imageColumn(), Integer.toString(bytes.length), Integer.toString(r.code().code()),
                flag(e.isLeftAssigned()), flag(e.isRightAssigned()), Integer.toString(e.xleft()), Integer.toString(e.yleft()),
                Integer.toString(e.xright()), Integer.toString(e.yright()));
    }

    /**
     * Compares the first pair of good templates untimed a few thousand times, so that the JIT has compiled the
     * comparison before the timed run, as {@code initialize} is not timed either: a C++ entry starts compiled.
     */
    private static void warmUpMatching(Frvt11 frvt, Path templates, List<String> lines) {
        for (String line : lines) {
            InputList.MatchLine m = InputList.matchLine(line);
            byte[] a = readTemplate(templates, m.enrollTemplate());
            byte[] b = readTemplate(templates, m.verifTemplate());
            if (a != null && b != null && frvt.matchTemplates(b, a).code() == ReturnCode.SUCCESS) {
                for (int i = 0; i < 20_000; i++) {
                    frvt.matchTemplates(b, a);
                }
                return;
            }
        }
    }

    /** {@code enrollTemplate verifTemplate simScore returnCode}. */
    static String match(Frvt11 frvt, Path templates, InputList.MatchLine line, List<Double> matchMs) {
        byte[] enroll = readTemplate(templates, line.enrollTemplate());
        byte[] verif = readTemplate(templates, line.verifTemplate());
        MatchResult m;
        if (enroll == null || verif == null) {
            m = new MatchResult(Frvt11.NO_SCORE, ReturnCode.INPUT_LOCATION_ERROR, "template file missing");
        } else {
            long s = System.nanoTime();
            m = frvt.matchTemplates(verif, enroll);
            matchMs.add((System.nanoTime() - s) / 1e6);
        }
        return String.join(" ", line.enrollTemplate(), line.verifTemplate(), String.format(Locale.ROOT, "%.6f", m.similarity()),
                Integer.toString(m.code().code()));
    }

    private static byte[] readTemplate(Path dir, String name) {
        Path f = dir.resolve(name);
        try {
            return Files.isRegularFile(f) ? Files.readAllBytes(f) : null;
        } catch (IOException e) {
            return null; // Unreadable is reported as missing: InputLocationError in the log line.
        }
    }

    private static String flag(boolean b) {
        return b ? "1" : "0";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
