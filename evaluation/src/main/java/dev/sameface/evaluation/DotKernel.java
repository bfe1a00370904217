package dev.sameface.evaluation;

/** Dot product of two rows of one row-major float matrix. Implementations are stateless and thread-safe. */
public interface DotKernel {
    float dot(float[] data, int offsetA, int offsetB, int length);

    String name();

    /**
     * The Vector API kernel when the JVM was started with {@code --add-modules jdk.incubator.vector}, else the
     * scalar one: the incubator module is an option of the launcher, not a requirement.
     */
    static DotKernel best() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                // By name, so that this class never links against the incubator module when it is absent.
                return (DotKernel) Class.forName("dev.sameface.evaluation.VectorDotKernel")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("the Vector API kernel failed to load although jdk.incubator.vector is present", e);
            }
        }
        return new ScalarDotKernel();
    }
}
