package dev.sameface.cli;

import dev.sameface.api.SamefaceHome;
import dev.sameface.api.TemplateCodec;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The hostile-input run of issue 10: every command given what a hostile or careless user gives it, each input made
 * here (nothing committed), each case bounded in time. A case is <em>refused correctly</em> when the command ends
 * with the documented exit code and reason (or, for a valid but unusual picture, the right decision); <em>wrong</em>
 * when it answers anything else; a <em>crash</em> when it hangs past its bound, throws out of the command, or ends
 * in an internal error. The summary table goes to stdout and {@code target/hostile-input-summary.md}; the test fails
 * when any case is wrong or crashes.
 *
 * <p>Covers the classes: embedding spaces (item 1), degenerate embeddings (2), option ranges (3), tampered
 * templates (4), threads (5), non-regular files (6), sizes and bombs (7), a damaged OpenVINO runtime (8), set-up
 * decided from configuration (13), one rule for unreadable inputs (15) and temporary files behind symlinks (12).
 * Items 9-11 and 14 (concurrent fetch, killed fetch, store damage, plugin manifests) need the package registries or
 * plugin jars and are proved by their own tests, not here. {@code -Dhostile.items=5,6} runs only those items' cases
 * (the summary says how many were left out).
 */
class HostileInputRunTest {
    /** Any single case taking longer than this is a hang (a FIFO read blocks forever; 100000 threads never end). */
    private static final long CASE_SECONDS = 120;

    @TempDir
    static Path dir;

    private static Path g1;
    private static Path g2;
    private static Path b1;
    private static Path t1;
    private static Path t2;

    private enum Verdict { REFUSED_CORRECTLY, WRONG, CRASH }

    /** What a correct answer is, and how long it may take (a refusal from a file's attributes is instant). */
    private record Expect(String what, double maxSeconds, Predicate<CliRun> ok) {
        Expect(String what, Predicate<CliRun> ok) {
            this(what, CASE_SECONDS, ok);
        }
    }

    private record Case(int item, String name, Expect expect, Action action) {
    }

    @FunctionalInterface
    private interface Action {
        CliRun run() throws Exception;
    }

    private record Outcome(Case c, Verdict verdict, String detail, double seconds) {
    }

    @BeforeAll
    static void photosAndTemplates() {
        g1 = TestData.lfw("George_W_Bush", 1);
        g2 = TestData.lfw("George_W_Bush", 2);
        b1 = TestData.lfw("Tony_Blair", 1);
        t1 = dir.resolve("g1.sft");
        t2 = dir.resolve("g2.sft");
        for (Path[] p : new Path[][]{{g1, t1}, {g2, t2}}) {
            CliRun r = CliRun.run("template", p[0].toString(), "-o", p[1].toString());
            assertThat(r.exit()).as(r.err()).isZero();
        }
    }

    // ---- expectations ----

    private static Expect exit(int code, String... messageParts) {
        return new Expect("exit " + code + (messageParts.length == 0 ? "" : " naming " + String.join(", ", messageParts)),
                r -> r.exit() == code && Arrays.stream(messageParts).allMatch(m -> r.err().toLowerCase(Locale.ROOT).contains(m.toLowerCase(Locale.ROOT)))
                        && r.err().strip().lines().count() == 1);
    }

    private static Expect exitWithin(int code, double seconds, String... messageParts) {
        Expect e = exit(code, messageParts);
        return new Expect(e.what() + " within " + seconds + " s", seconds, e.ok());
    }

    private static Expect refusedNotScored() {
        return new Expect("an error (exit 2 or 7), never a score", r -> r.exit() == 2 || r.exit() == 7);
    }

    private static Expect decision(boolean same) {
        return new Expect("exit 0, " + (same ? "SAME" : "DIFFERENT"), r -> r.exit() == 0 && r.out().contains(same ? "SAME person" : "DIFFERENT people"));
    }

    // ---- inputs ----

    private static Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static Path fifo() throws IOException, InterruptedException {
        Path p = dir.resolve("fifo.jpg");
        if (!Files.exists(p)) {
            Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
            if (mk.waitFor() != 0) {
                fail("mkfifo " + p + " failed");
            }
        }
        return p;
    }

    /** A PNG of nothing but its signature, an IHDR claiming {@code w x h} and IEND: the header alone must refuse it. */
    private static byte[] pngHeader(int w, int h, int bitDepth, int colourType) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(out);
        d.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) bitDepth).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(d, "IHDR", ihdr.array());
        chunk(d, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(DataOutputStream d, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.writeInt(data.length);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    private static Path png(String name, BufferedImage img) throws IOException {
        Path p = dir.resolve(name);
        if (!ImageIO.write(img, "png", p.toFile())) {
            fail("no PNG writer for " + name);
        }
        return p;
    }

    /** G2 as a 16-bit grey PNG, a grey JPEG and a half-transparent RGBA PNG: valid pictures that must still verify. */
    private static List<Path> unusualButValid() throws IOException {
        BufferedImage src = ImageIO.read(g2.toFile());
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage grey = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        grey.getGraphics().drawImage(src, 0, 0, null);
        Path greyJpeg = dir.resolve("grey.jpg");
        ImageIO.write(grey, "jpg", greyJpeg.toFile());
        BufferedImage grey16 = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        grey16.getGraphics().drawImage(src, 0, 0, null);
        BufferedImage alpha = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                alpha.setRGB(x, y, (x < w / 8 ? 0x40 : 0xff) << 24 | (src.getRGB(x, y) & 0xffffff));
            }
        }
        return List.of(greyJpeg, png("grey16.png", grey16), png("alpha.png", alpha));
    }

    /** {@code t1} with its vector replaced by {@code f(vector)} and the CRC recomputed: tampering, not an accident. */
    private static Path tampered(String name, java.util.function.UnaryOperator<float[]> f) throws IOException {
        byte[] b = Files.readAllBytes(t1);
        int dim = TemplateCodec.decode(b).embedding().dimension();
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int at = b.length - 4 - 4 * dim;
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = buf.getFloat(at + 4 * i);
        }
        float[] w = f.apply(v);
        for (int i = 0; i < dim; i++) {
            buf.putFloat(at + 4 * i, w[i]);
        }
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        buf.putInt(b.length - 4, (int) crc.getValue());
        return write(name, b);
    }

    /**
     * A home whose OpenVINO runtime is the installed one linked file by file, installed as {@code models fetch} does
     * (file list, {@code .complete}), then {@code libopenvino_intel_cpu_plugin.so} cut in half.
     */
    private static Path homeWithTruncatedOpenVino() throws IOException {
        String version = dev.sameface.pipeline.models.ModelCache.standard().manifest().runtime("openvino").version();
        Path real = dev.sameface.pipeline.models.ModelFetcher.runtimeDir(SamefaceHome.resolve(), "openvino", version);
        String plugin = "libopenvino_intel_cpu_plugin.so";
        if (!Files.isRegularFile(real.resolve(plugin))) {
            fail("no OpenVINO runtime at " + real + "; run: ./sameface models fetch");
        }
        Path home = dir.resolve("home-damaged-openvino");
        Path broken = Files.createDirectories(dev.sameface.pipeline.models.ModelFetcher.runtimeDir(home, "openvino", version));
        try (Stream<Path> files = Files.list(real)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                Path to = broken.resolve(f.getFileName());
                if (f.getFileName().toString().equals(plugin)) {
                    Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES);
                } else {
                    Files.createSymbolicLink(to, f);
                }
            }
        }
        dev.sameface.pipeline.models.ModelFetcher.writeFileList(broken);
        Files.writeString(broken.resolve(".complete"), "installed by HostileInputRunTest\n");
        try (RandomAccessFile f = new RandomAccessFile(broken.resolve(plugin).toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        return home;
    }

    /** A home holding the ONNX models and the runtimes but none of the TorchScript exports djl-pytorch runs. */
    private static Path homeWithoutTorchScript() throws IOException {
        Path real = SamefaceHome.resolve();
        Path home = dir.resolve("home-no-torchscript");
        Files.createDirectories(home.resolve("models"));
        Files.createSymbolicLink(home.resolve("runtimes"), real.resolve("runtimes"));
        try (Stream<Path> models = Files.list(real.resolve("models"))) {
            for (Path m : models.filter(Files::isDirectory).toList()) {
                Path to = Files.createDirectories(home.resolve("models").resolve(m.getFileName()));
                try (Stream<Path> files = Files.list(m)) {
                    for (Path f : files.filter(f -> !f.getFileName().toString().contains(".pt")).toList()) {
                        Files.createSymbolicLink(to.resolve(f.getFileName()), f);
                    }
                }
            }
        }
        return home;
    }

    private static CliRun withProperty(String key, String value, Action a) throws Exception {
        String before = System.getProperty(key);
        System.setProperty(key, value);
        try {
            return a.run();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    private static CliRun evaluateList(String name, Path a, Path b) throws IOException {
        Path list = write(name + ".txt", (a + "\t" + b + "\t0\n" + g1 + "\t" + g2 + "\t1\n").getBytes(StandardCharsets.UTF_8));
        return CliRun.run("evaluate", "--protocol", "list", "--list", list.toString(), "--store", dir.resolve(name + "-store").toString(),
                "--out", dir.resolve(name + "-out").toString(), "--threads", "1");
    }

    // ---- the cases ----

    private static List<Case> cases() throws Exception {
        List<Case> cases = new ArrayList<>();
        byte[] jpeg = Files.readAllBytes(g1);
        byte[] garbage = new byte[20_000];
        new Random(42).nextBytes(garbage);
        byte[] corruptJpeg = Arrays.copyOf(jpeg, jpeg.length);
        System.arraycopy(garbage, 0, corruptJpeg, 20, Math.min(garbage.length, jpeg.length - 40));
        Path sparse = dir.resolve("sparse-65MiB.jpg");
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength((64L << 20) + 1);
        }
        Path folder = Files.createDirectories(dir.resolve("a-folder.jpg"));
        record Bad(int item, String name, Path file, String reason) {
        }
        List<Bad> bad = List.of(
                new Bad(15, "zero-byte file", write("zero.jpg", new byte[0]), "empty"),
                new Bad(15, "text file named .jpg", write("text.jpg", "name,score\nalice,0.9\n".getBytes(StandardCharsets.UTF_8)), "not an image"),
                new Bad(15, "truncated JPEG", write("truncated.jpg", Arrays.copyOf(jpeg, jpeg.length / 2)), "truncated"),
                new Bad(15, "JPEG with random bytes over its headers", write("corrupt.jpg", corruptJpeg), "image"),
                new Bad(15, "random bytes", write("random.png", garbage), "not an image"),
                new Bad(15, "missing file", dir.resolve("no-such-photo.jpg"), "no such file"),
                new Bad(6, "FIFO", fifo(), "not a regular file"),
                new Bad(6, "folder", folder, "folder"),
                new Bad(7, "/dev/zero", Path.of("/dev/zero"), "not a regular file"),
                new Bad(7, "65 MiB file of zeros", sparse, "input limit"),
                new Bad(7, "PNG header claiming 20000x20000", write("huge-header.png", pngHeader(20_000, 20_000, 8, 2)), "20000x20000"),
                new Bad(7, "16000x4000 16-bit RGBA PNG header", write("rgba16-bomb.png", pngHeader(16_000, 4_000, 16, 6)), "decodes to"));
        for (Bad x : bad) {
            Path out = dir.resolve("out-" + x.file().getFileName() + ".sft");
            cases.add(new Case(x.item(), "template: " + x.name(), new Expect(exitWithin(4, 10, x.reason()).what() + ", no template written",
                    10, r -> exit(4, x.reason()).ok().test(r) && !Files.exists(out)),
                    () -> CliRun.run("template", x.file().toString(), "-o", out.toString())));
            cases.add(new Case(x.item(), "verify: " + x.name(), exitWithin(4, 10, x.reason()),
                    () -> CliRun.run("verify", g1.toString(), x.file().toString())));
        }
        for (Bad x : bad.stream().filter(x -> x.item() != 15 || x.name().equals("missing file")).toList()) {
            if (!x.name().contains("PNG")) {
                cases.add(new Case(x.item(), "match: " + x.name(), exitWithin(4, 10, x.reason()),
                        () -> CliRun.run("match", t1.toString(), x.file().toString())));
            }
        }
        for (Bad x : bad.stream().filter(x -> java.util.Set.of("FIFO", "truncated JPEG", "text file named .jpg").contains(x.name())).toList()) {
            cases.add(new Case(x.item() == 6 ? 6 : 15, "evaluate: " + x.name() + " in a pair list", exit(4, x.reason()),
                    () -> evaluateList("eval-" + x.file().getFileName(), g1, x.file())));
        }
        Path fifo = fifo();
        cases.add(new Case(6, "verify --config FIFO", exitWithin(2, 10, "not a regular file"),
                () -> CliRun.run("verify", "--config", fifo.toString(), g1.toString(), g2.toString())));
        cases.add(new Case(6, "evaluate --list FIFO", exitWithin(4, 10, "not a regular file"),
                () -> CliRun.run("evaluate", "--protocol", "list", "--list", fifo.toString(), "--out", dir.resolve("fifo-out").toString())));
        cases.add(new Case(15, "match: a photo given as a template", exit(6), () -> CliRun.run("match", t1.toString(), g1.toString())));

        for (Path p : unusualButValid()) {
            cases.add(new Case(15, "verify: G1 against G2 as " + p.getFileName(), decision(true), () -> CliRun.run("verify", g1.toString(), p.toString())));
        }
        BufferedImage sky = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        sky.getGraphics().fillRect(0, 0, 100, 100);
        Path noFace = png("no-face.png", sky);
        Path noFaceOut = dir.resolve("no-face.sft");
        cases.add(new Case(15, "template: a readable picture without a face", new Expect("exit 5, failed template written",
                r -> r.exit() == 5 && Files.exists(noFaceOut)), () -> CliRun.run("template", noFace.toString(), "-o", noFaceOut.toString())));
        cases.add(new Case(15, "verify: a readable picture without a face", decision(false), () -> CliRun.run("verify", g1.toString(), noFace.toString())));

        // Templates: accidents (flips, truncations) and tampering (CRC recomputed).
        byte[] good = Files.readAllBytes(t1);
        for (int at : new int[]{0, 5, 12, good.length / 2, good.length - 2}) {
            byte[] b = good.clone();
            b[at] ^= 0x04;
            Path p = write("flip-" + at + ".sft", b);
            cases.add(new Case(4, "match: template with bit flipped at byte " + at, exit(6), () -> CliRun.run("match", t1.toString(), p.toString())));
        }
        for (int len : new int[]{0, 3, good.length / 2, good.length - 1}) {
            Path p = write("cut-" + len + ".sft", Arrays.copyOf(good, len));
            cases.add(new Case(4, "match: template truncated to " + len + " bytes", exit(6), () -> CliRun.run("match", t1.toString(), p.toString())));
        }
        Path scaled = tampered("scaled.sft", v -> { float[] w = v.clone(); for (int i = 0; i < w.length; i++) { w[i] *= 100; } return w; });
        Path zero = tampered("zero.sft", v -> new float[v.length]);
        Path nan = tampered("nan.sft", v -> { float[] w = v.clone(); w[0] = Float.NaN; return w; });
        for (Path p : List.of(scaled, zero, nan)) {
            cases.add(new Case(4, "match: " + p.getFileName() + " (vector tampered, CRC recomputed)", exit(6), () -> CliRun.run("match", t1.toString(), p.toString())));
        }
        Path otherSpace = dir.resolve("mean0-scale1.sft");
        cases.add(new Case(1, "match: template of another embedding space (mean=0, scale=1)", exit(6), () -> {
            CliRun made = CliRun.run("template", g1.toString(), "-o", otherSpace.toString(), "--set", "embedder.options.mean=0",
                    "--set", "embedder.options.scale=1");
            return made.exit() != 0 ? made : CliRun.run("match", otherSpace.toString(), t1.toString());
        }));
        cases.add(new Case(2, "verify G1 B1 with embedder.options.scale=0", refusedNotScored(),
                () -> CliRun.run("verify", g1.toString(), b1.toString(), "--set", "embedder.options.scale=0")));
        Path symlinked = dir.resolve("symlinked.sft");
        Path victim = write("victim.txt", "an unrelated file\n".getBytes(StandardCharsets.UTF_8));
        cases.add(new Case(12, "template -o X when X.tmp is a symlink to an unrelated file", new Expect("exit 0, the linked file untouched",
                r -> r.exit() == 0 && readQuietly(victim).equals("an unrelated file\n")), () -> {
            Files.createSymbolicLink(dir.resolve("symlinked.sft.tmp"), victim);
            return CliRun.run("template", g1.toString(), "-o", symlinked.toString());
        }));

        // Configuration: every option has a type and a range, checked at start-up.
        String[][] config = {
                {"5", "threads=100000"}, {"5", "threads=0"}, {"3", "threads=1.5"},
                {"3", "detector.options.score-threshold=1.5"}, {"3", "detector.options.score-threshold=-1"},
                {"3", "detector.options.top-k=0"}, {"3", "detector.options.top-k=-5"}, {"3", "detector.options.nms-threshold=NaN"},
                {"3", "aligner.engine=tensorrt"}, {"3", "matcher.model=fr-feature-512"}, {"3", "embedder.options.mean=1e309"},
                {"3", "threshold=1.5"}};
        for (String[] c : config) {
            // The message names the option as its stage knows it (detector 'ultralight' option 'score-threshold'),
            // with the value and what is allowed: the last part of the dotted key must appear.
            String key = c[1].substring(0, c[1].indexOf('='));
            String option = key.substring(key.lastIndexOf('.') + 1);
            cases.add(new Case(Integer.parseInt(c[0]), "template --set " + c[1], exitWithin(2, 20, option),
                    () -> CliRun.run("template", g1.toString(), "-o", dir.resolve("config.sft").toString(), "--set", c[1])));
        }

        // Native runtime and set-up.
        Path damagedHome = homeWithTruncatedOpenVino();
        Path brokenOpenVino;
        try (Stream<Path> runtimes = Files.list(damagedHome.resolve("runtimes"))) {
            brokenOpenVino = runtimes.findFirst().orElseThrow();
        }
        cases.add(new Case(8, "verify --engine openvino with a truncated libopenvino_intel_cpu_plugin.so", exit(3, "libopenvino_intel_cpu_plugin.so"),
                () -> withProperty("sameface.openvino.lib", brokenOpenVino.toString(),
                        () -> CliRun.run("verify", "--engine", "openvino", g1.toString(), g2.toString()))));
        cases.add(new Case(8, "models list with a truncated libopenvino_intel_cpu_plugin.so", new Expect("exit 0, openvino damaged, naming the file",
                r -> r.exit() == 0 && r.out().lines().anyMatch(l -> l.strip().startsWith("openvino ") && l.contains(" damaged ")
                        && l.contains("libopenvino_intel_cpu_plugin.so") && l.contains("models fetch openvino"))),
                () -> withProperty("sameface.home", damagedHome.toString(), () -> CliRun.run("models", "list"))));
        Path home = homeWithoutTorchScript();
        cases.add(new Case(13, "verify --engine djl-pytorch without TorchScript exports", exit(3, "models prepare"),
                () -> withProperty("sameface.home", home.toString(),
                        () -> CliRun.run("verify", "--engine", "djl-pytorch", g1.toString(), g2.toString()))));
        return cases;
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private static Outcome attempt(Case c) {
        long t0 = System.nanoTime();
        CompletableFuture<CliRun> f = new CompletableFuture<>();
        Thread worker = Thread.ofPlatform().daemon().name("hostile-" + c.name()).start(() -> {
            try {
                f.complete(c.action().run());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        try {
            CliRun r = f.get(CASE_SECONDS, TimeUnit.SECONDS);
            double s = (System.nanoTime() - t0) / 1e9;
            if (r.exit() == 10) {
                return new Outcome(c, Verdict.CRASH, "internal error: " + r.err().strip(), s);
            }
            boolean ok = c.expect().ok().test(r);
            String seen = "exit " + r.exit() + ": " + (r.err().isBlank() ? firstLine(r.out()) : r.err().strip());
            if (ok && s > c.expect().maxSeconds()) {
                return new Outcome(c, Verdict.WRONG, "took " + String.format(Locale.ROOT, "%.1f", s) + " s; " + seen, s);
            }
            return new Outcome(c, ok ? Verdict.REFUSED_CORRECTLY : Verdict.WRONG, seen, s);
        } catch (TimeoutException e) {
            worker.interrupt();
            return new Outcome(c, Verdict.CRASH, "hung: no answer in " + CASE_SECONDS + " s", CASE_SECONDS);
        } catch (ExecutionException e) {
            return new Outcome(c, Verdict.CRASH, "threw " + e.getCause(), (System.nanoTime() - t0) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(c, Verdict.CRASH, "interrupted", 0);
        }
    }

    private static String firstLine(String s) {
        return s.strip().lines().findFirst().orElse("");
    }

    @Test
    void everyHostileInputIsRefusedCorrectly() throws Exception {
        String only = System.getProperty("hostile.items", "");
        java.util.Set<Integer> items = only.isBlank() ? java.util.Set.of()
                : Arrays.stream(only.split(",")).map(String::strip).map(Integer::valueOf).collect(java.util.stream.Collectors.toSet());
        List<Case> all = cases();
        List<Case> chosen = all.stream().filter(c -> items.isEmpty() || items.contains(c.item())).toList();
        List<Outcome> outcomes = new ArrayList<>();
        for (Case c : chosen) {
            outcomes.add(attempt(c));
        }
        String table = summary(outcomes, all.size() - chosen.size());
        System.out.println(table);
        Path report = Path.of("target", "hostile-input-summary.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, table);
        List<Outcome> failed = outcomes.stream().filter(o -> o.verdict() != Verdict.REFUSED_CORRECTLY).toList();
        assertThat(failed).as("cases wrong or crashed (see %s):%n%s", report.toAbsolutePath(), table).isEmpty();
    }

    private static String summary(List<Outcome> outcomes, int leftOut) {
        StringBuilder sb = new StringBuilder("# Hostile-input run\n\n");
        long ok = outcomes.stream().filter(o -> o.verdict() == Verdict.REFUSED_CORRECTLY).count();
        long wrong = outcomes.stream().filter(o -> o.verdict() == Verdict.WRONG).count();
        long crash = outcomes.stream().filter(o -> o.verdict() == Verdict.CRASH).count();
        sb.append("| cases tried | refused correctly | wrong | crash |\n|---|---|---|---|\n")
                .append(String.format(Locale.ROOT, "| %d | %d | %d | %d |%n", outcomes.size(), ok, wrong, crash));
        if (leftOut > 0) {
            sb.append("\n").append(leftOut).append(" case(s) not run (-Dhostile.items).\n");
        }
        sb.append("\n| item | case | expected | verdict | seen | s |\n|---|---|---|---|---|---|\n");
        for (Outcome o : outcomes) {
            sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %.1f |%n", o.c().item(), o.c().name(), o.c().expect().what(),
                    o.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' '), o.detail().replace('|', '/').replace('\n', ' '), o.seconds()));
        }
        return sb.toString();
    }
}
