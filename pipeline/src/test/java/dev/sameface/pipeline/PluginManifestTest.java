package dev.sameface.pipeline;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.models.ModelFetcher;
import dev.sameface.pipeline.models.ModelManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A plugin's {@code META-INF/sameface/manifest.yaml}, found on the class path of a child class loader as a real
 * plugin jar or folder would be: it may add models and runtimes, never write outside the cache, replace a
 * built-in entry or install anything unchecked.
 */
class PluginManifestTest {
    private static final String SHA = "13a69f2cb3012162ccce8466b1cd9e445ae1337ae641f31c90419e6179f13650";
    private static final String INPUT = "input: {name: input, color: BGR, mean: 0.0, scale: 1.0, layout: NCHW, width: 0, height: 0}";
    @TempDir
    Path dir;

    private static String model(String id, String sha256Line, String source) {
        return "models:\n  " + id + ":\n    task: detector\n    description: a plugin model\n" + sha256Line
                + "    source: " + source + "\n    licence: MIT\n    " + INPUT + "\n";
    }

    private static String npmModel(String id) {
        return model(id, "    sha256: " + SHA + "\n", "{client: npm, package: some-plugin-models, version: 1.0.0, path: package/m.onnx}");
    }

    /** A plugin folder on the class path. */
    private ClassLoader folder(String name, String yaml) throws IOException {
        Path root = dir.resolve(name);
        Path f = root.resolve(ModelManifest.EXTENSION);
        Files.createDirectories(f.getParent());
        Files.writeString(f, yaml);
        return new URLClassLoader(new URL[]{root.toUri().toURL()}, getClass().getClassLoader());
    }

    /** A plugin jar on the class path. */
    private ClassLoader jar(String name, String yaml) throws IOException {
        Path jar = dir.resolve(name + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry(ModelManifest.EXTENSION));
            j.write(yaml.getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        return new URLClassLoader(new URL[]{jar.toUri().toURL()}, getClass().getClassLoader());
    }

    private static void refused(ClassLoader plugin, String... why) {
        assertThatThrownBy(() -> ModelManifest.load(plugin))
                .isInstanceOfSatisfying(FaceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR))
                .hasMessageContainingAll(why);
    }

    @Test
    void aWellFormedPluginAddsItsModelAndRuntime() throws Exception {
        String yaml = npmModel("acme-detector") + "runtimes:\n  acme-runtime:\n    description: r\n    version: 1.2.3\n"
                + "    source: {client: pip, package: acme, version: 1.2.3, path: acme/libs/, archive-sha256: " + SHA + "}\n    licence: MIT\n";
        ModelManifest m = ModelManifest.load(jar("acme", yaml));
        assertThat(m.model("acme-detector").sha256()).isEqualTo(SHA);
        assertThat(m.runtime("acme-runtime").version()).isEqualTo("1.2.3");
        // The built-in entries are still there, unchanged.
        assertThat(m.models()).containsAllEntriesOf(ModelManifest.load().models());
        assertThat(new ModelCache(m, dir.resolve("home"), java.util.List.of()).cachedFile("acme-detector"))
                .startsWithRaw(dir.resolve("home").resolve("models"));
    }

    @Test
    void idsThatAreAbsoluteOrClimbOutOfTheCacheAreRefused() throws Exception {
        refused(folder("absolute", npmModel("\"/tmp/x/evil\"")), "model '/tmp/x/evil'", "unsafe id");
        refused(jar("climb", npmModel("\"../../escape2/evil2\"")), "model '../../escape2/evil2'", "unsafe id");
        refused(folder("upper", npmModel("Evil")), "unsafe id");
        assertThat(Path.of("/tmp/x/evil.onnx")).doesNotExist();
    }

    @Test
    void pathsThatLeaveTheirFolderAreRefused() throws Exception {
        refused(folder("local", model("acme-local", "    sha256: " + SHA + "\n", "{client: local, path: ../../etc/passwd}")),
                "path '../../etc/passwd'");
        refused(folder("script", model("acme-gen", "    sha256: " + SHA + "\n", "{client: generated, script: /bin/sh, seed: 1}")),
                "script '/bin/sh'");
        refused(folder("version", model("acme-ver", "    sha256: " + SHA + "\n",
                "{client: npm, package: p, version: ../../x, path: package/m.onnx}")), "unsafe or missing version '../../x'");
        // Behind the manifest check, the cache itself refuses any name that resolves outside it.
        assertThatThrownBy(() -> ModelFetcher.runtimeDir(dir, "x", "../../../y")).isInstanceOf(FaceException.class).hasMessageContaining("outside");
    }

    @Test
    void aPluginCannotReplaceABuiltInModelOrRuntime() throws Exception {
        String builtInModel = ModelManifest.load().models().keySet().iterator().next();
        refused(jar("shadow-model", npmModel(builtInModel)), "model '" + builtInModel + "'", "is built in");
        String runtime = ModelManifest.load().runtimes().keySet().iterator().next();
        refused(folder("shadow-runtime", "runtimes:\n  " + runtime + ":\n    description: evil\n    version: 1.0.0\n"
                        + "    source: {client: pip, package: evil, version: 1.0.0, path: evil/, archive-sha256: " + SHA + "}\n    licence: MIT\n"),
                "runtime '" + runtime + "'", "is built in");
    }

    @Test
    void everythingFetchedNeedsASha256() throws Exception {
        refused(folder("no-sha", model("acme-nosha", "", "{client: npm, package: p, version: 1.0.0, path: package/m.onnx}")),
                "needs sha256");
        refused(folder("bad-sha", model("acme-badsha", "    sha256: abc\n", "{client: npm, package: p, version: 1.0.0, path: package/m.onnx}")),
                "needs sha256");
        refused(jar("runtime-no-sha", "runtimes:\n  acme-runtime:\n    description: r\n    version: 1.0.0\n"
                + "    source: {client: pip, package: acme, version: 1.0.0, path: acme/libs/}\n    licence: MIT\n"), "needs archive-sha256");
    }
}
