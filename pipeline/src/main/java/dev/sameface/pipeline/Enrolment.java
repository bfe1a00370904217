package dev.sameface.pipeline;

import dev.sameface.api.DetectedFace;
import dev.sameface.api.Template;

import java.util.List;

/**
 * The full result of enrolling one image: the template, every face found, the one chosen (null when none), and
 * per-stage timings.
 */
public record Enrolment(Template template, List<DetectedFace> faces, DetectedFace selected, StageTimings timings) {
    public Enrolment {
        faces = List.copyOf(faces);
    }
}
