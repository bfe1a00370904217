package dev.sameface.pipeline;

import dev.sameface.api.DetectedFace;
import dev.sameface.api.Template;

import java.util.List;

/**
 * The full result of enrolling one image: the template, every face found, the one chosen (null when none), and
 * per-stage timings.
 *
 * <p>{@code faces} holds every face the detector found, best first, with its box and score. Only the selected face is
 * guaranteed its landmarks: the pipeline chooses on boxes ({@link FaceSelection}) and asks the detector to
 * {@linkplain dev.sameface.api.Detector#refine refine} that one alone, so the others carry what
 * {@link dev.sameface.api.Detector#detectBoxes} gave them (real landmarks for YuNet, zero placeholders for the
 * Ultra-Light chain, whose landmark model runs on the chosen face only). Call {@code Detector.detect} for every
 * face's landmarks.
 */
public record Enrolment(Template template, List<DetectedFace> faces, DetectedFace selected, StageTimings timings) {
    public Enrolment {
        faces = List.copyOf(faces);
    }
}
