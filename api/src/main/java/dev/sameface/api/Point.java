package dev.sameface.api;

/** A point in image pixel coordinates (x to the right, y down; pixel centres at integer + 0.5 is not assumed). */
public record Point(double x, double y) {
    public double distance(Point o) {
        return Math.hypot(x - o.x, y - o.y);
    }
}
