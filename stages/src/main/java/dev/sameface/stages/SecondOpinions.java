package dev.sameface.stages;

import dev.sameface.api.DetectedFace;
import dev.sameface.api.Detector;
import dev.sameface.api.Image;
import dev.sameface.api.Landmarks5;
import dev.sameface.api.Point;

import java.util.ArrayList;
import java.util.List;

/**
 * A detector whose faces' five points are averaged with those other detectors find for the same face: independent
 * landmark estimates err independently, so their mean is nearer the truth. With YuNet-n's and SCRFD-500m's points
 * beside O-Net's, all of cfp-dev's frontal-profile FNMR at FMR 1e-3 falls from 34.1% to 32.8%
 * (docs/detectors-measured.md). The boxes, and so face selection, stay the primary detector's.
 *
 * <p>Another detector's face is the one whose points are nearest the primary's (largest point distance), and it is
 * counted only when that distance is below {@link #AGREEMENT} of the face's size (the longer of the inter-ocular and
 * eye-to-mouth distances): a detector that missed the face, or found another one, does not pull the points away.
 */
final class SecondOpinions implements Detector {
    static final double AGREEMENT = 0.5;

    private final Detector primary;
    private final List<Detector> others;

    SecondOpinions(Detector primary, List<Detector> others) {
        this.primary = primary;
        this.others = List.copyOf(others);
    }

    @Override
    public List<DetectedFace> detect(Image image) {
        List<DetectedFace> faces = primary.detect(image);
        if (faces.isEmpty()) {
            return faces;
        }
        List<List<DetectedFace>> opinions = opinions(image);
        List<DetectedFace> fused = new ArrayList<>(faces.size());
        for (DetectedFace f : faces) {
            fused.add(fused(f, opinions));
        }
        return fused;
    }

    @Override
    public List<DetectedFace> detectBoxes(Image image) {
        return primary.detectBoxes(image);
    }

    @Override
    public DetectedFace refine(Image image, DetectedFace face) {
        return fused(primary.refine(image, face), opinions(image));
    }

    private List<List<DetectedFace>> opinions(Image image) {
        List<List<DetectedFace>> all = new ArrayList<>(others.size());
        for (Detector d : others) {
            all.add(d.detect(image));
        }
        return all;
    }

    /** {@code face} with its points averaged with each opinion's nearest face's, where they agree. */
    static DetectedFace fused(DetectedFace face, List<List<DetectedFace>> opinions) {
        List<Point> own = face.landmarks().points();
        Point eyes = mid(own.get(0), own.get(1));
        Point mouth = mid(own.get(3), own.get(4));
        double size = Math.max(own.get(0).distance(own.get(1)), eyes.distance(mouth));
        double[] sum = new double[10];
        add(sum, own);
        int n = 1;
        for (List<DetectedFace> faces : opinions) {
            List<Point> best = null;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (DetectedFace f : faces) {
                double d = largestDistance(own, f.landmarks().points());
                if (d < bestDistance) {
                    bestDistance = d;
                    best = f.landmarks().points();
                }
            }
            if (best != null && bestDistance < AGREEMENT * size) {
                add(sum, best);
                n++;
            }
        }
        if (n == 1) {
            return face;
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= n;
        }
        return new DetectedFace(face.box(), face.score(), Landmarks5.of(sum));
    }

    private static double largestDistance(List<Point> a, List<Point> b) {
        double worst = 0;
        for (int k = 0; k < a.size(); k++) {
            worst = Math.max(worst, a.get(k).distance(b.get(k)));
        }
        return worst;
    }

    private static void add(double[] sum, List<Point> points) {
        for (int k = 0; k < points.size(); k++) {
            sum[2 * k] += points.get(k).x();
            sum[2 * k + 1] += points.get(k).y();
        }
    }

    private static Point mid(Point a, Point b) {
        return new Point((a.x() + b.x()) / 2, (a.y() + b.y()) / 2);
    }

    @Override
    public void close() {
        primary.close();
        others.forEach(Detector::close);
    }
}
