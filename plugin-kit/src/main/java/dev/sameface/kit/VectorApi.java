package dev.sameface.kit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Supplier;

/**
 * Picks a Vector API implementation of an inner loop when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (its width is what the CPU offers: 8 floats with AVX2, 16 with AVX-512),
 * else the plain Java one: the module is an option of the launcher, not a requirement.
 */
public final class VectorApi {
    private VectorApi() {
    }

    /**
     * An instance of {@code className} (a class with a no-argument constructor implementing {@code type}, which
     * {@code lookup}, the caller's, can reach; loaded by name so that nothing links against the incubator module when
     * it is absent) if the module is present, else {@code plain}.
     */
    public static <T> T orPlain(MethodHandles.Lookup lookup, String className, Class<T> type, Supplier<T> plain) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return type.cast(lookup.findConstructor(lookup.findClass(className), MethodType.methodType(void.class)).invoke());
            } catch (Throwable e) {
                throw new IllegalStateException(className + " failed to load although jdk.incubator.vector is present", e);
            }
        }
        return plain.get();
    }
}
