package dev.sameface.api;

/** An axis-aligned box in pixel coordinates: top-left corner, width and height. */
public record Box(double x, double y, double width, double height) {
    public double area() {
        return Math.max(0, width) * Math.max(0, height);
    }

    public Point centre() {
        return new Point(x + width / 2, y + height / 2);
    }

    /** Intersection over union with another box, 0 when they do not overlap. */
    public double iou(Box o) {
        double ix = Math.max(0, Math.min(x + width, o.x + o.width) - Math.max(x, o.x));
        double iy = Math.max(0, Math.min(y + height, o.y + o.height) - Math.max(y, o.y));
        double inter = ix * iy;
        double union = area() + o.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
