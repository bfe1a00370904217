package dev.sameface.openvino;

import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.Tensor;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenVINO with the default (single-threaded) options adds at most one native thread to the process while it
 * compiles and infers, counted in /proc/self/task. What was found: OpenVINO's threads are std::threads of
 * libopenvino's CPUStreamsExecutor (comm "java", inherited from the creating thread); TBB starts no worker with
 * INFERENCE_NUM_THREADS=1. With NUM_STREAMS=1 each compiled model gets a stream thread (which runs the inference
 * while the caller waits) and a callback-executor thread; with NUM_STREAMS=0 the executor runs the inference on
 * the caller's thread and creates none. The second test keeps that finding honest.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NativeThreadCountTest {
    /** Threads the JVM itself may add at any time (JIT compilers, GC workers); they are not OpenVINO's. */
    private static final Pattern JVM_THREAD = Pattern.compile(
            "C[12] CompilerThre.*|GC Thread#.*|G1 .*|VM .*|Common-Cleaner|Attach Listener|Notification Th.*|Service Thread|surefire.*");

    @Test
    @Order(1)
    void defaultOptionsAddAtMostOneThreadWhileCompilingAndInferring() {
        Map<Long, String> before = tasks();
        Map<Long, String> peak = new TreeMap<>();
        try (InferenceEngine engine = TestSetup.openVino(EngineOptions.singleThreaded());
             CompiledModel embedder = engine.load(TestSetup.cachedModel("fr-feature-512"));
             CompiledModel detector = engine.load(TestSetup.yunet())) {
            Path photo = TestData.lfwPhotos(1).getFirst();
            Map<String, Tensor> face = Map.of("input", TestData.modelInput("fr-feature-512", photo));
            Map<String, Tensor> scene = Map.of("input", TestData.modelInput("yunet-n", photo, 640, 480));
            for (int i = 0; i < 5; i++) {
                embedder.run(face);
                peak.putAll(newNonJvmThreads(before));
                detector.run(scene);
                peak.putAll(newNonJvmThreads(before));
            }
        }
        assertThat(peak).as("native threads started while OpenVINO compiled and inferred (tid -> comm)").hasSizeLessThanOrEqualTo(1);
    }

    @Test
    @Order(2)
    void oneStreamWouldRunTheInferenceOnItsOwnThreads() {
        Map<Long, String> before = tasks();
        Map<Long, String> added;
        try (InferenceEngine engine = TestSetup.openVino(
                EngineOptions.singleThreaded().withProperties(Map.of("openvino.NUM_STREAMS", "1")));
             CompiledModel landmarks = engine.load(TestSetup.cachedModel("fr-landmark-68"))) {
            landmarks.run(Map.of("input", Tensor.allocate(1, 1, 64, 64)));
            added = newNonJvmThreads(before);
        }
        assertThat(added).as("threads started with NUM_STREAMS=1 (the setting the default avoids)").hasSizeGreaterThan(1);
    }

    private static Map<Long, String> newNonJvmThreads(Map<Long, String> before) {
        Map<Long, String> now = tasks();
        now.keySet().removeAll(before.keySet());
        now.values().removeIf(comm -> JVM_THREAD.matcher(comm).matches());
        return now;
    }

    /** The process's threads: tid -> comm. */
    private static Map<Long, String> tasks() {
        Map<Long, String> tasks = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(Path.of("/proc/self/task"))) {
            for (Path d : dirs.toList()) {
                try {
                    tasks.put(Long.parseLong(d.getFileName().toString()), Files.readString(d.resolve("comm")).strip());
                } catch (java.nio.file.NoSuchFileException gone) {
                    // The thread ended between listing and reading: it is not running now.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tasks;
    }
}
