package dev.sameface.evaluation;

/** Dot product of two rows of one row-major float matrix. Implementations are stateless and thread-safe. */
public interface DotKernel {
    float dot(float[] data, int offsetA, int offsetB, int length);

    String name();

    /** Four dot products of one row against four others, into {@code out[0..3]}; a kernel may share row a's loads. */
    default void dot4(float[] data, int offsetA, int b0, int b1, int b2, int b3, int length, float[] out) {
        out[0] = dot(data, offsetA, b0, length);
        out[1] = dot(data, offsetA, b1, length);
        out[2] = dot(data, offsetA, b2, length);
        out[3] = dot(data, offsetA, b3, length);
    }

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
