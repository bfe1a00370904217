package dev.sameface.spark;

import scala.Tuple2;

import java.util.Arrays;
import java.util.List;

/**
 * The genuine scores gathered from the tasks, in the order {@code sameface evaluate} lists genuine pairs (person by
 * person, then image i before j), with subjects numbered in order of first appearance, as its score set numbers
 * them: the subject bootstrap then draws the same people and the intervals match too.
 */
record GenuineScores(float[] scores, int[] subjects, int subjectCount) {
    static GenuineScores of(List<Tuple2<long[], float[]>> parts, int[] subjectOf) {
        int total = 0;
        for (Tuple2<long[], float[]> p : parts) {
            total += p._1().length;
        }
        long[] keys = new long[total];
        float[] values = new float[total];
        int at = 0;
        for (Tuple2<long[], float[]> p : parts) {
            System.arraycopy(p._1(), 0, keys, at, p._1().length);
            System.arraycopy(p._2(), 0, values, at, p._2().length);
            at += p._1().length;
        }
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Long.compare(keys[x], keys[y]));
        long n = subjectOf.length;
        float[] scores = new float[total];
        int[] subjects = new int[total];
        int[] dense = new int[subjectOf.length == 0 ? 0 : subjectOf[subjectOf.length - 1] + 1];
        Arrays.fill(dense, -1);
        int next = 0;
        for (int k = 0; k < total; k++) {
            int o = order[k];
            scores[k] = values[o];
            int s = subjectOf[(int) (keys[o] / n)];
            if (dense[s] < 0) {
                dense[s] = next++;
            }
            subjects[k] = dense[s];
        }
        return new GenuineScores(scores, subjects, next);
    }
}
