package dev.sameface.evaluation;

import java.util.Arrays;

/** A growable int array: pair lists reach millions of entries, boxing them would cost ~20x the memory. */
final class IntList {
    private int[] a = new int[16];
    private int n;

    void add(int v) {
        if (n == a.length) {
            a = Arrays.copyOf(a, a.length * 2);
        }
        a[n++] = v;
    }

    int get(int i) {
        if (i >= n) {
            throw new IndexOutOfBoundsException(i);
        }
        return a[i];
    }

    int size() {
        return n;
    }

    int[] toArray() {
        return Arrays.copyOf(a, n);
    }
}
