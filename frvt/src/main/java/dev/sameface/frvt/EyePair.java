package dev.sameface.frvt;

import dev.sameface.api.Landmarks5;
import dev.sameface.api.Point;

/**
 * NIST's eye coordinates for one input image, in its pixels. <em>Left</em> is the subject's left eye, which appears
 * on the image's right; each eye is the centre of the detector's eye landmarks. An eye that lies outside the image
 * (or of an image without a face) is unassigned, its coordinates 0.
 */
public record EyePair(boolean isLeftAssigned, boolean isRightAssigned, int xleft, int yleft, int xright, int yright) {
    public static final EyePair UNASSIGNED = new EyePair(false, false, 0, 0, 0, 0);

    /** From the five landmarks of a face found in a {@code width} x {@code height} image. */
    public static EyePair of(Landmarks5 landmarks, int width, int height) {
        return of(landmarks.subjectLeftEye(), landmarks.subjectRightEye(), width, height);
    }

    /** From the subject's left and right eye centres in a {@code width} x {@code height} image. */
    public static EyePair of(Point left, Point right, int width, int height) {
        boolean l = inside(left, width, height);
        boolean r = inside(right, width, height);
        return new EyePair(l, r, l ? (int) Math.round(left.x()) : 0, l ? (int) Math.round(left.y()) : 0,
                r ? (int) Math.round(right.x()) : 0, r ? (int) Math.round(right.y()) : 0);
    }

    private static boolean inside(Point p, int width, int height) {
        return Double.isFinite(p.x()) && Double.isFinite(p.y()) && p.x() >= 0 && p.y() >= 0
                && Math.round(p.x()) < width && Math.round(p.y()) < height;
    }
}
