package dev.sameface.frvt;

import dev.sameface.api.Image;
import dev.sameface.api.Point;

/**
 * Quarter turns of an image, and the way back for a point found in the turned image. FRVT data holds photos turned
 * by 90 or 180 degrees, which the detector (trained on upright faces) does not find; {@link Frvt11} tries the turns
 * when the upright image shows no face and reports the eyes in the input's own pixels.
 */
public enum Rotation {
    CLOCKWISE_90, COUNTER_CLOCKWISE_90, HALF_TURN;

    /** The image turned this way. */
    public Image apply(Image img) {
        int w = img.width();
        int h = img.height();
        int ch = img.format().channels();
        boolean swap = this != HALF_TURN;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] src = img.pixels();
        byte[] out = new byte[src.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                Point from = back(x, y, w, h);
                System.arraycopy(src, ((int) from.y() * w + (int) from.x()) * ch, out, (y * ow + x) * ch, ch);
            }
        }
        return new Image(ow, oh, img.format(), out);
    }

    /** Where point (x, y) of the turned image lies in the original {@code w} x {@code h} image. */
    public Point back(double x, double y, int w, int h) {
        return switch (this) {
            case CLOCKWISE_90 -> new Point(y, h - 1 - x);
            case COUNTER_CLOCKWISE_90 -> new Point(w - 1 - y, x);
            case HALF_TURN -> new Point(w - 1 - x, h - 1 - y);
        };
    }
}
