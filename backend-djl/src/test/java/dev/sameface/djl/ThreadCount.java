package dev.sameface.djl;

import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.Tensor;
import dev.sameface.djl.Fixtures.TestModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Counts the process's native threads (/proc/self/task) around engine start, model load and inference. */
final class ThreadCount {
    private ThreadCount() {
    }

    /** Thread id to name, for every native thread of this process. */
    static Map<String, String> tasks() {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(Path.of("/proc/self/task"))) {
            for (Path d : dirs.toList()) {
                try {
                    out.put(d.getFileName().toString(), Files.readString(d.resolve("comm")).strip());
                } catch (IOException e) {
                    // The thread ended between listing and reading: it is not alive, so not counted.
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/task", e);
        }
        return out;
    }

    /**
     * Starts the engine with default options, loads the embedder and YuNet, and runs them while counting threads
     * after every run; the count may grow by at most one over the count before the engine existed.
     */
    static void assertSingleThreaded(String engineName) {
        List<Path> photos = Fixtures.photos(3);
        // Inputs are made before the baseline: image decoding starts JDK threads of its own (e.g. Java2D's disposer).
        List<Tensor> faces = photos.stream().map(p -> Fixtures.input(TestModel.EMBEDDER, p, 112, 112)).toList();
        List<Tensor> scenes = photos.stream().map(p -> Fixtures.input(TestModel.YUNET, p, 320, 320)).toList();
        var embedderSource = Fixtures.source(TestModel.EMBEDDER);
        var yunetSource = Fixtures.source(TestModel.YUNET);

        Map<String, String> before = tasks();
        int peak = before.size();
        List<String> added = new ArrayList<>();
        try (InferenceEngine engine = Fixtures.provider(engineName).create(EngineOptions.singleThreaded());
             CompiledModel embedder = engine.load(embedderSource);
             CompiledModel yunet = engine.load(yunetSource)) {
            System.out.println(engineName + ": " + engine.description());
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < photos.size(); i++) {
                    embedder.run(Map.of("input", faces.get(i)));
                    yunet.run(Map.of("input", scenes.get(i)));
                    Map<String, String> now = tasks();
                    if (now.size() > peak) {
                        peak = now.size();
                        added.clear();
                        now.forEach((tid, name) -> {
                            if (!before.containsKey(tid)) {
                                added.add(name + " (" + tid + ")");
                            }
                        });
                    }
                }
            }
        }
        System.out.printf("%s: %d threads before the engine, peak %d while inferring; new: %s%n", engineName, before.size(), peak, added);
        assertThat(peak - before.size())
                .as("native threads added by %s with default options (new threads: %s)", engineName, added)
                .isLessThanOrEqualTo(1);
    }
}
