package dev.sameface.cli;

import dev.sameface.api.SamefaceHome;
import dev.sameface.openvino.OpenVinoRuntime;
import dev.sameface.pipeline.models.ModelFetcher;
import dev.sameface.pipeline.models.ModelManifest;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenVINO version and the runtime folder have one owner each: what the set-up step fetches (the manifest,
 * filled from the parent pom) is where the engine looks, and the shell side names the same SAMEFACE_HOME.
 */
class RuntimeLayoutTest {
    @Test
    void theEngineLooksWhereTheFetcherUnpacksTheVersionTheManifestNames() {
        ModelManifest.RuntimeEntry openvino = ModelManifest.load().runtimes().get("openvino");
        assertThat(openvino.version()).isEqualTo(OpenVinoRuntime.PINNED_VERSION).matches("\\d{4}\\.\\d+\\.\\d+");
        assertThat(openvino.source().version()).isEqualTo(OpenVinoRuntime.PINNED_VERSION);
        if (System.getProperty(OpenVinoRuntime.PROPERTY) == null && System.getenv(OpenVinoRuntime.ENVIRONMENT) == null) {
            assertThat(OpenVinoRuntime.directory())
                    .isEqualTo(ModelFetcher.runtimeDir(SamefaceHome.resolve(), "openvino", openvino.version()));
        }
        assertThat(SamefaceHome.runtime(Path.of("/h"), "openvino", "1.2.3")).isEqualTo(Path.of("/h/runtimes/openvino-1.2.3"));
    }

    /** The launcher and scripts/test source scripts/sameface-home: with this process's environment it names the same folder. */
    @Test
    void theShellHelperNamesTheSameHomeAsJava() throws Exception {
        assertThat(System.getProperty("sameface.home")).as("the Java-only override would make the comparison moot").isNull();
        Path helper = Path.of("").toAbsolutePath().getParent().resolve("scripts/sameface-home");
        Process p = new ProcessBuilder("bash", "-c", "source \"$1\" && sameface_home", "bash", helper.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(Path.of(out).toAbsolutePath().normalize()).isEqualTo(SamefaceHome.resolve().toAbsolutePath().normalize());
    }
}
