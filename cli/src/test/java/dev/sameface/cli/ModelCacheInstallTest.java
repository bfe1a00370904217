package dev.sameface.cli;

import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.models.ModelFetcher;
import dev.sameface.pipeline.models.ModelManifest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.sameface.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code models fetch} as real child JVMs on an empty cache: three at once end with every model and runtime whole
 * and verified; a fetch killed while npm runs takes npm with it (SIGTERM), and whatever a SIGKILL leaves in the
 * cache's staging is removed by the next fetch, which completes.
 */
class ModelCacheInstallTest {
    /** The three models of the one npm package the default pipeline uses. */
    private static final List<String> NPM_MODELS = List.of("ulfg-rfb-320", "fr-landmark-68", "fr-feature-512");
    private static final String PACKAGE = "faceplugin-face-recognition-js";

    @TempDir
    Path dir;
    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        // Orphans of a SIGKILLed child are this test's doing: never leave them running.
        started.forEach(h -> {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
        });
    }

    private Process fetch(Path home, Path log, String extraClassPath, String... ids) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Xmx512m",
                "-Dsameface.home=" + home,
                "-cp", System.getProperty("java.class.path") + (extraClassPath == null ? "" : File.pathSeparator + extraClassPath),
                "dev.sameface.cli.SamefaceCommand", "models", "fetch"));
        cmd.addAll(List.of(ids));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p.toHandle());
        return p;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The package as the registry ships it, fetched with npm itself. */
    private Path npmPack() throws Exception {
        Path out = Files.createDirectories(dir.resolve("pack"));
        Process p = new ProcessBuilder("npm", "pack", PACKAGE + "@0.0.1", "--pack-destination", out.toString(), "--silent")
                .directory(out.toFile()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("npm pack (needs npm and the registry): " + text).isZero();
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(f -> f.toString().endsWith(".tgz")).findFirst().orElseThrow();
        }
    }

    private static Map<String, String> entryHashes(Path tgz, String prefix) throws Exception {
        Map<String, String> hashes = new TreeMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(new BufferedInputStream(Files.newInputStream(tgz))))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (!e.isDirectory() && e.getName().startsWith(prefix)) {
                    hashes.put(e.getName().substring(prefix.length()), sha256(tar.readAllBytes()));
                }
            }
        }
        return hashes;
    }

    private static Map<String, String> fileHashes(Path folder) throws Exception {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = folder.relativize(f).toString();
                // The install's own bookkeeping: its completion marker and the file list the engines check.
                if (!rel.equals(".complete") && !rel.equals(dev.sameface.pipeline.models.ModelFetcher.RUNTIME_FILE_LIST)) {
                    hashes.put(rel, sha256(Files.readAllBytes(f)));
                }
            }
        }
        return hashes;
    }

    private static List<Path> staging(Path home) throws IOException {
        Path s = home.resolve(".staging");
        if (!Files.isDirectory(s)) {
            return List.of();
        }
        try (Stream<Path> left = Files.list(s)) {
            return left.toList();
        }
    }

    @Test
    void threeFetchesAtOnceOnAnEmptyCacheEndWithEverythingWholeAndVerified() throws Exception {
        // A plugin's runtime (a folder of files out of an archive, installed like OpenVINO's) from the npm package, so
        // the runtime install is exercised without a large wheel download.
        Path tgz = npmPack();
        String prefix = "package/model/";
        Path plugin = dir.resolve("plugin");
        Files.createDirectories(plugin.resolve("META-INF/sameface"));
        Files.writeString(plugin.resolve(ModelManifest.EXTENSION), "runtimes:\n  acme-runtime:\n    description: test runtime\n"
                + "    version: 0.0.1\n    source: {client: npm, package: " + PACKAGE + ", version: 0.0.1, path: " + prefix
                + ", archive-sha256: " + sha256(Files.readAllBytes(tgz)) + "}\n    licence: MIT\n");
        Path home = dir.resolve("home");

        List<Process> runs = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path log = dir.resolve("fetch-" + i + ".log");
            logs.add(log);
            List<String> ids = new ArrayList<>(NPM_MODELS);
            ids.add("acme-runtime");
            runs.add(fetch(home, log, plugin.toString(), ids.toArray(String[]::new)));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(runs.get(i).waitFor(5, TimeUnit.MINUTES)).as("fetch %d finished", i).isTrue();
            assertThat(runs.get(i).exitValue()).as(Files.readString(logs.get(i))).isZero();
        }

        ModelManifest manifest;
        try (URLClassLoader loader = new URLClassLoader(new URL[]{plugin.toUri().toURL()}, getClass().getClassLoader())) {
            manifest = ModelManifest.load(loader);
        }
        ModelCache cache = new ModelCache(manifest, home, List.of());
        for (String id : NPM_MODELS) {
            assertThat(cache.isReady(id)).as(id).isTrue();
        }
        Path runtime = ModelFetcher.runtimeDir(home, "acme-runtime", "0.0.1");
        assertThat(runtime.resolve(".complete")).isRegularFile();
        Map<String, String> expected = entryHashes(tgz, prefix);
        assertThat(expected).isNotEmpty();
        assertThat(fileHashes(runtime)).isEqualTo(expected);
        assertThat(staging(home)).isEmpty();
        // One download did the work; the others found it done.
        long fetched = 0;
        for (Path log : logs) {
            fetched += Files.readString(log).lines().filter(l -> l.startsWith("fetched runtime acme-runtime")).count();
        }
        assertThat(fetched).isEqualTo(1);
    }

    /** Starts a fetch and returns once its npm child is running (the fetch is mid-way), with that child's process tree. */
    private List<ProcessHandle> fetchUntilNpmRuns(Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> children = p.descendants().toList();
            if (!children.isEmpty()) {
                return children;
            }
            assertThat(p.isAlive()).as("the fetch ended before npm was seen: " + Files.readString(log)).isTrue();
            Thread.sleep(5);
        }
        throw new AssertionError("npm never started: " + Files.readString(log));
    }

    @Test
    void aFetchStoppedWhileNpmRunsTakesNpmWithIt() throws Exception {
        Path home = dir.resolve("home");
        Path log = dir.resolve("fetch.log");
        Process p = fetch(home, log, null, "ulfg-rfb-320");
        List<ProcessHandle> npm = fetchUntilNpmRuns(p, log);

        p.destroy(); // SIGTERM, as a Ctrl-C or a service stop would send
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (npm.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(npm).as("npm and its children after the fetch was stopped").noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void stagingLeftByAKilledFetchIsRemovedByTheNextWhichCompletes() throws Exception {
        Path home = dir.resolve("home");
        Path log = dir.resolve("fetch.log");
        Process p = fetch(home, log, null, "ulfg-rfb-320");
        List<ProcessHandle> npm = fetchUntilNpmRuns(p, log);
        p.destroyForcibly(); // SIGKILL: no hook runs, the staging folder stays
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        npm.forEach(ProcessHandle::destroyForcibly);
        assertThat(staging(home)).isNotEmpty();

        String before = System.getProperty("sameface.home");
        System.setProperty("sameface.home", home.toString());
        try {
            CliRun again = run("models", "fetch", "ulfg-rfb-320");
            assertThat(again.exit()).as(again.err()).isZero();
            assertThat(again.out()).contains("left by an interrupted run");
        } finally {
            if (before == null) {
                System.clearProperty("sameface.home");
            } else {
                System.setProperty("sameface.home", before);
            }
        }
        assertThat(staging(home)).isEmpty();
        assertThat(new ModelCache(ModelManifest.load(), home, List.of()).isReady("ulfg-rfb-320")).isTrue();
    }
}
