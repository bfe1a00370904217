package dev.sameface.spark;

import java.util.Arrays;

/** A growable list of (long key, float value) without an object per entry (genuine pairs run into millions). */
final class LongFloatList {
    private long[] keys = new long[64];
    private float[] values = new float[64];
    private int size;

    void add(long key, float value) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        keys[size] = key;
        values[size++] = value;
    }

    long[] keys() {
        return Arrays.copyOf(keys, size);
    }

    float[] values() {
        return Arrays.copyOf(values, size);
    }
}
