package dev.sameface.djl;

import dev.sameface.api.engine.Availability;
import dev.sameface.api.engine.EngineOptions;
import dev.sameface.api.engine.InferenceEngine;
import dev.sameface.api.engine.InferenceEngineProvider;

/** Registers DJL's PyTorch engine running TorchScript exports on libtorch, as engine {@code djl-pytorch}. */
public final class DjlPyTorchEngineProvider implements InferenceEngineProvider {
    public static final String NAME = "djl-pytorch";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int rank() {
        return 20;
    }

    /** Checks the platform and that libtorch and DJL's JNI glue are on the class path, without loading them. */
    @Override
    public Availability availability() {
        String problem = DjlRuntime.platformProblem();
        if (problem != null) {
            return Availability.unavailable(NAME + ": " + problem);
        }
        ClassLoader cl = DjlPyTorchEngineProvider.class.getClassLoader();
        if (cl.getResource("native/lib/pytorch.properties") == null) {
            return Availability.unavailable(NAME + ": libtorch is not on the class path (ai.djl.pytorch:pytorch-native-cpu:"
                    + DjlRuntime.LIBTORCH_VERSION + ":linux-x86_64)");
        }
        if (cl.getResource("jnilib/linux-x86_64/cpu/libdjl_torch.so") == null) {
            return Availability.unavailable(NAME + ": DJL's JNI library is not on the class path (ai.djl.pytorch:pytorch-jni:"
                    + DjlRuntime.LIBTORCH_VERSION + "-" + DjlRuntime.DJL_VERSION + ")");
        }
        return Availability.ok();
    }

    @Override
    public InferenceEngine create(EngineOptions options) {
        return new DjlPyTorchEngine(options);
    }
}
