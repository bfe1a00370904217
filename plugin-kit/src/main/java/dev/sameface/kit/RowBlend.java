package dev.sameface.kit;

/**
 * The inner loop of {@link TensorPacker}: one channel of one output row, from the left and right taps of the source
 * rows above and below, as {@code ((t_l * (topW * lw) + t_r * (topW * rw)) + b_l * (bottomW * lw)) + b_r * (bottomW * rw)},
 * then {@code (v - mean) * scale}. Every implementation performs exactly these float operations in this order, so
 * they agree bit for bit with each other and with {@link ImageOps#bilinear}.
 */
interface RowBlend {
    void blend(float[] top, float[] bottom, int left, int right, float[] lw, float[] rw, float topW, float bottomW,
               float[] out, int o, int dw, float mean, float scale);

    /** Columns [from, to) in plain Java: the whole row without the Vector API, and the tail with it. */
    static void scalar(float[] top, float[] bottom, int left, int right, float[] lw, float[] rw, float topW, float bottomW,
                       float[] out, int o, int from, int to, float mean, float scale) {
        for (int x = from; x < to; x++) {
            float v = top[left + x] * (topW * lw[x]) + top[right + x] * (topW * rw[x])
                    + bottom[left + x] * (bottomW * lw[x]) + bottom[right + x] * (bottomW * rw[x]);
            out[o + x] = (v - mean) * scale;
        }
    }

    /**
     * The Vector API version when the JVM was started with {@code --add-modules jdk.incubator.vector} (its width is
     * what the CPU offers: 8 floats with AVX2, 16 with AVX-512), else plain Java: the module is an option of the
     * launcher, not a requirement.
     */
    static RowBlend best() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                // By name, so that this class never links against the incubator module when it is absent.
                return (RowBlend) Class.forName("dev.sameface.kit.VectorRowBlend").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("the Vector API row blend failed to load although jdk.incubator.vector is present", e);
            }
        }
        return (top, bottom, left, right, lw, rw, topW, bottomW, out, o, dw, mean, scale) ->
                scalar(top, bottom, left, right, lw, rw, topW, bottomW, out, o, 0, dw, mean, scale);
    }
}
