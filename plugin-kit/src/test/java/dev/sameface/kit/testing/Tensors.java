package dev.sameface.kit.testing;

import dev.sameface.api.engine.Tensor;

/** How far apart two model outputs are, for engine parity and tensor preparation checks. */
public final class Tensors {
    private Tensors() {
    }

    /** The largest element-wise absolute difference. */
    public static double maxAbsDiff(Tensor a, Tensor b) {
        requireSameSize(a, b);
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            max = Math.max(max, Math.abs((double) a.get(i) - b.get(i)));
        }
        return max;
    }

    private static void requireSameSize(Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("tensors differ in size: " + a + " vs " + b);
        }
    }
}
