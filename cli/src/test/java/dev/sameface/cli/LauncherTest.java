package dev.sameface.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The {@code ./sameface} launcher decides set-up from nothing but the command's name (issue 10, item 13): it used to
 * run {@code models prepare} (which may apt-get install as root) whenever any argument contained "djl-pytorch",
 * file names included. The launcher runs here against a copy of itself whose java only records what it was asked
 * to run, so the test sees exactly which commands the script starts, without building or fetching anything.
 */
class LauncherTest {
    @TempDir
    Path tmp;

    private List<String> launch(String... args) throws IOException, InterruptedException {
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path launcher = repo.resolve("sameface");
        if (!Files.isRegularFile(launcher)) {
            fail("no launcher at " + launcher + ": run the tests with Maven from the reactor root");
        }
        Path root = tmp.resolve("checkout");
        Files.createDirectories(root.resolve("scripts"));
        Files.copy(launcher, root.resolve("sameface"));
        Files.copy(repo.resolve("scripts/java-env"), root.resolve("scripts/java-env"));
        Files.copy(repo.resolve("scripts/sameface-home"), root.resolve("scripts/sameface-home"));
        // The first-use stamp hashes the manifest and the pinned OpenVINO version; both older than the jar, so no rebuild.
        Path pom = root.resolve("pom.xml");
        Files.copy(repo.resolve("pom.xml"), pom);
        Files.setLastModifiedTime(pom, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Path manifest = root.resolve("pipeline/src/main/resources/dev/sameface/pipeline/manifest.yaml");
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, "models: {}\n");
        Files.setLastModifiedTime(manifest, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Files.createDirectories(root.resolve("cli/target/lib"));
        Files.writeString(root.resolve("cli/target/sameface-cli-0.jar"), "");
        Path log = tmp.resolve("java-calls.txt");
        Path java = tmp.resolve("jdk/bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, """
                #!/bin/sh
                case "$*" in *-XshowSettings*) echo '    java.specification.version = 25' >&2; exit 0 ;; esac
                for a in "$@"; do case "$a" in -*|*.jar*|*/lib/*) ;; *) printf '%%s ' "$a" >> '%s' ;; esac; done
                echo >> '%s'
                """.formatted(log, log));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new java.util.ArrayList<>(List.of(root.resolve("sameface").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile());
        pb.environment().put("SAMEFACE_JAVA_HOME", java.getParent().getParent().toString());
        pb.environment().put("SAMEFACE_HOME", tmp.resolve("home").toString());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the launcher did not finish in 60 s: " + Files.readString(tmp.resolve("out.txt")));
        }
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("out.txt"))).isZero();
        return Files.readAllLines(log).stream().map(String::strip).toList();
    }

    @Test
    void anArgumentNamedDjlPytorchRunsNoSetUp() throws Exception {
        List<String> calls = launch("verify", "/photos/djl-pytorch.jpg", "/photos/b.jpg");
        assertThat(calls).noneMatch(c -> c.contains("prepare"));
        assertThat(calls.getLast()).endsWith("verify /photos/djl-pytorch.jpg /photos/b.jpg");
    }

    @Test
    void theDjlPytorchEngineRunsNoSetUpEitherTheCliReportsWhatIsMissing() throws Exception {
        List<String> calls = launch("verify", "--engine", "djl-pytorch", "a.jpg", "b.jpg");
        assertThat(calls).noneMatch(c -> c.contains("prepare"));
        assertThat(calls.getLast()).endsWith("verify djl-pytorch a.jpg b.jpg");
    }
}
