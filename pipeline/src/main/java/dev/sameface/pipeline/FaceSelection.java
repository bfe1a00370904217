package dev.sameface.pipeline;

import dev.sameface.api.DetectedFace;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Image;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Which face of a multi-face image is the subject. */
public enum FaceSelection {
    /** The largest box; ties (within 1%) go to the one nearest the centre. FRVT's usual assumption. */
    LARGEST,
    /** The face whose box centre is nearest the image centre. */
    CENTRAL,
    /**
     * InsightFace's rule (FaceAnalysis): the box area minus twice the squared distance of its centre from the image
     * centre, so a large face wins unless it sits off-centre. Unlike {@link #LARGEST} it does not take the half face
     * at the photo's edge that a detection margin lets the detector box beyond the frame.
     */
    LARGE_CENTRAL,
    /** The detector's most confident face. */
    BEST_SCORE;

    public static FaceSelection parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "face-selection must be largest, central, large-central or best-score, got '" + s + "'", e);
        }
    }

    public Optional<DetectedFace> select(List<DetectedFace> faces, Image image) {
        if (faces.isEmpty()) {
            return Optional.empty();
        }
        double cx = image.width() / 2.0;
        double cy = image.height() / 2.0;
        Comparator<DetectedFace> central = Comparator.comparingDouble(f -> Math.hypot(f.box().centre().x() - cx, f.box().centre().y() - cy));
        return switch (this) {
            case BEST_SCORE -> faces.stream().max(Comparator.comparingDouble(DetectedFace::score));
            case CENTRAL -> faces.stream().min(central);
            case LARGE_CENTRAL -> faces.stream().max(Comparator.comparingDouble(f -> {
                double dx = f.box().centre().x() - cx;
                double dy = f.box().centre().y() - cy;
                return f.box().area() - 2 * (dx * dx + dy * dy);
            }));
            case LARGEST -> {
                double maxArea = faces.stream().mapToDouble(f -> f.box().area()).max().orElse(0);
                yield faces.stream().filter(f -> f.box().area() >= 0.99 * maxArea).min(central);
            }
        };
    }
}
