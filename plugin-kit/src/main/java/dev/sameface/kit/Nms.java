package dev.sameface.kit;

import dev.sameface.api.DetectedFace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy non-maximum suppression by IoU, best score first, as every single-shot detector needs it. */
public final class Nms {
    private Nms() {
    }

    public static List<DetectedFace> apply(List<DetectedFace> candidates, double iouThreshold, int topK) {
        List<DetectedFace> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble(DetectedFace::score).reversed());
        List<DetectedFace> kept = new ArrayList<>();
        for (DetectedFace c : sorted) {
            if (kept.size() >= topK) {
                break;
            }
            boolean suppressed = false;
            for (DetectedFace k : kept) {
                if (k.box().iou(c.box()) > iouThreshold) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(c);
            }
        }
        return kept;
    }
}
