package dev.sameface.api;

import java.util.List;
import java.util.Objects;

/**
 * Five facial landmarks in the order of the ArcFace 112x112 template: image-left eye, image-right eye, nose tip,
 * image-left mouth corner, image-right mouth corner. "Image-left" is the side with the smaller x, which is the
 * subject's <em>right</em> eye; {@link #subjectRightEye()} and {@link #subjectLeftEye()} give FRVT's naming.
 */
public record Landmarks5(Point imageLeftEye, Point imageRightEye, Point nose, Point imageLeftMouth, Point imageRightMouth) {
    public Landmarks5 {
        Objects.requireNonNull(imageLeftEye);
        Objects.requireNonNull(imageRightEye);
        Objects.requireNonNull(nose);
        Objects.requireNonNull(imageLeftMouth);
        Objects.requireNonNull(imageRightMouth);
    }

    /** From ten numbers x0, y0, x1, y1, ... in template order. */
    public static Landmarks5 of(double... xy) {
        if (xy.length != 10) {
            throw new IllegalArgumentException("5 landmarks need 10 coordinates, got " + xy.length);
        }
        return new Landmarks5(new Point(xy[0], xy[1]), new Point(xy[2], xy[3]), new Point(xy[4], xy[5]),
                new Point(xy[6], xy[7]), new Point(xy[8], xy[9]));
    }

    public List<Point> points() {
        return List.of(imageLeftEye, imageRightEye, nose, imageLeftMouth, imageRightMouth);
    }

    /** The subject's own right eye, which appears on the image's left. */
    public Point subjectRightEye() {
        return imageLeftEye;
    }

    /** The subject's own left eye, which appears on the image's right. */
    public Point subjectLeftEye() {
        return imageRightEye;
    }

    /**
     * The landmarks of the mirrored image of width {@code imageWidth}: x becomes width - x and the left/right
     * points swap, so that the order stays image-left first.
     */
    public Landmarks5 mirrored(int imageWidth) {
        return new Landmarks5(flip(imageRightEye, imageWidth), flip(imageLeftEye, imageWidth), flip(nose, imageWidth),
                flip(imageRightMouth, imageWidth), flip(imageLeftMouth, imageWidth));
    }

    private static Point flip(Point p, int w) {
        return new Point(w - p.x(), p.y());
    }
}
