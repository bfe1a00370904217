package dev.sameface.stages;

/**
 * How a detector frames the photo before its network sees it: a black margin around the photo (so a face that fills
 * the frame, as in tightly cropped profile photos, is seen with the context the detector was trained on), optionally
 * the input's aspect ratio kept by black bars instead of squeezing the photo (letterbox), and a second try with a
 * wider margin when the first finds nothing.
 *
 * @param letterbox   keep the photo's aspect ratio in a fixed-size input (bars, centred) instead of stretching it
 * @param margin      black border added on every side, as a fraction of the photo's longer side
 * @param retryMargin the margin of a second try when the first finds no face; negative: no second try
 */
record Framing(boolean letterbox, double margin, double retryMargin) {
    /** Today's behaviour before framing existed: the photo stretched to the input, no margin, no retry. */
    static final Framing NONE = new Framing(false, 0, -1);

    boolean retries() {
        return retryMargin >= 0 && retryMargin != margin;
    }

    /**
     * The source region (in photo pixels; parts outside the photo read as black) that is resampled to the network
     * input: the photo grown by {@code margin} on every side and, with letterbox and a fixed input aspect ratio
     * {@code inputAspect} (width / height; NaN for a free one), grown further around its centre to that ratio.
     */
    Region region(int width, int height, double margin, double inputAspect) {
        double pad = margin * Math.max(width, height);
        double x = 0 - pad; // not -pad: no margin must give 0, not -0.0
        double y = 0 - pad;
        double w = width + 2 * pad;
        double h = height + 2 * pad;
        if (letterbox && !Double.isNaN(inputAspect)) {
            if (w / h < inputAspect) {
                double nw = h * inputAspect;
                x -= (nw - w) / 2;
                w = nw;
            } else {
                double nh = w / inputAspect;
                y -= (nh - h) / 2;
                h = nh;
            }
        }
        return new Region(x, y, w, h);
    }

    /** A rectangle in photo pixel coordinates. */
    record Region(double x, double y, double width, double height) {
    }
}
