package dev.sameface.kit;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link RowBlend} with the Vector API: the same multiplications and additions, lane by lane (no fused multiply-add). */
final class VectorRowBlend implements RowBlend {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    @Override
    public void blend(float[] top, float[] bottom, int left, int right, float[] lw, float[] rw, float topW, float bottomW,
                      float[] out, int o, int dw, float mean, float scale) {
        int x = 0;
        for (int bound = SPECIES.loopBound(dw); x < bound; x += SPECIES.length()) {
            FloatVector l = FloatVector.fromArray(SPECIES, lw, x);
            FloatVector r = FloatVector.fromArray(SPECIES, rw, x);
            FloatVector v = FloatVector.fromArray(SPECIES, top, left + x).mul(l.mul(topW))
                    .add(FloatVector.fromArray(SPECIES, top, right + x).mul(r.mul(topW)))
                    .add(FloatVector.fromArray(SPECIES, bottom, left + x).mul(l.mul(bottomW)))
                    .add(FloatVector.fromArray(SPECIES, bottom, right + x).mul(r.mul(bottomW)));
            v.sub(mean).mul(scale).intoArray(out, o + x);
        }
        RowBlend.scalar(top, bottom, left, right, lw, rw, topW, bottomW, out, o, x, dw, mean, scale);
    }
}
