package dev.sameface.api;

import java.util.Objects;

/**
 * A face warped onto a canonical crop (ArcFace: 112x112 RGB), with the 2x3 affine transform that maps
 * source-image coordinates to crop coordinates ({@code [a, b, tx, c, d, ty]}: x' = a x + b y + tx, y' = c x + d y + ty).
 */
public record AlignedFace(Image crop, double[] transform, DetectedFace source) {
    public AlignedFace {
        Objects.requireNonNull(crop);
        Objects.requireNonNull(source);
        if (transform == null || transform.length != 6) {
            throw new IllegalArgumentException("transform must hold 6 numbers");
        }
        transform = transform.clone();
    }

    @Override
    public double[] transform() {
        return transform.clone();
    }

    /** Where a source-image point lands on the crop. */
    public Point apply(Point p) {
        return new Point(transform[0] * p.x() + transform[1] * p.y() + transform[2],
                transform[3] * p.x() + transform[4] * p.y() + transform[5]);
    }
}
