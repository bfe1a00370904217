package dev.sameface.evaluation;

/** Open-addressing set of non-negative longs: de-duplicates millions of sampled pair keys without boxing. */
final class LongHashSet {
    private static final long EMPTY = -1;
    private long[] slots;
    private int size;

    LongHashSet(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        slots = new long[cap];
        java.util.Arrays.fill(slots, EMPTY);
    }

    /** @return true when {@code key} was not there yet */
    boolean add(long key) {
        if (key < 0) {
            throw new IllegalArgumentException("negative key");
        }
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        int i = mix(key) & mask;
        while (slots[i] != EMPTY) {
            if (slots[i] == key) {
                return false;
            }
            i = (i + 1) & mask;
        }
        slots[i] = key;
        size++;
        return true;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        java.util.Arrays.fill(slots, EMPTY);
        size = 0;
        for (long k : old) {
            if (k != EMPTY) {
                add(k);
            }
        }
    }

    private static int mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        return (int) k;
    }
}
