package dev.sameface.pipeline;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.ProvisionException;
import com.google.inject.spi.Message;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.registry.EngineRegistry;
import dev.sameface.pipeline.registry.StageRegistry;

/** Builds {@link FacePipeline}s from configurations. */
public final class Pipelines {
    private Pipelines() {
    }

    /** The pipeline the configuration describes, with the standard model cache and the plugins on the class path. */
    public static FacePipeline create(PipelineConfig config) {
        return create(config, ModelCache.standard());
    }

    public static FacePipeline create(PipelineConfig config, ModelCache cache) {
        com.google.inject.Injector injector;
        try {
            injector = Guice.createInjector(new PipelineModule(config, cache, EngineRegistry.load(), StageRegistry.load()));
        } catch (CreationException e) {
            throw unwrap(e.getErrorMessages(), e);
        }
        try {
            return injector.getInstance(FacePipeline.class);
        } catch (ProvisionException e) {
            // Engines and models opened before the failing stage must not leak.
            injector.getInstance(Resources.class).close();
            throw unwrap(e.getErrorMessages(), e);
        } catch (RuntimeException e) {
            injector.getInstance(Resources.class).close();
            throw e;
        }
    }

    /** Guice wraps what a provider throws; callers should see our typed error, not Guice's. */
    private static RuntimeException unwrap(java.util.Collection<Message> messages, RuntimeException e) {
        for (Message m : messages) {
            Throwable c = m.getCause();
            while (c != null) {
                if (c instanceof FaceException fe) {
                    return fe;
                }
                c = c.getCause();
            }
        }
        return new FaceException(ErrorCode.INTERNAL_ERROR, "could not build the pipeline: " + e.getMessage(), e);
    }
}
