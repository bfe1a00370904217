package dev.sameface.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Tests that declare models: each gets its own user-models file in a temp dir ({@code sameface.user-models}), never
 * the shared cache's, and copies of real model files beside it, as if they were the user's own.
 */
abstract class DeclaredModelsTest {
    @TempDir
    Path dir;
    Path declared;

    @BeforeEach
    void ownUserModelsFile() {
        declared = dir.resolve("user-models.yaml");
        System.setProperty("sameface.user-models", declared.toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty("sameface.user-models");
        System.clearProperty("sameface.local-models");
    }

    /** A copy of {@code model} in the temp dir; a missing model fails with the command that fetches it. */
    Path copyOf(Path model, String name) throws Exception {
        if (!Files.isRegularFile(model)) {
            throw new IllegalStateException(model + " is missing; run: ./sameface models fetch");
        }
        return Files.copy(model, dir.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
    }
}
