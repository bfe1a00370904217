package dev.sameface.server;

import dev.sameface.api.DetectedFace;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.Template;
import dev.sameface.pipeline.Enrolment;

import java.util.Comparator;
import java.util.List;

/**
 * One template from several photos of one person: the one place the server decides it. For now the template of
 * the photo whose chosen face the detector is surest of; multi-image fusion (the FRVT contract's) replaces this
 * method's body when it lands, and nothing else in the server changes.
 */
final class TemplateFusion {
    private TemplateFusion() {
    }

    /** The person's template, or a failed one (NO_FACE) when no photo gave a face. */
    static Template fuse(List<Enrolment> enrolments, String modelFingerprint) {
        return enrolments.stream()
                .filter(e -> !e.template().isFailed())
                .max(Comparator.comparingDouble(e -> score(e.selected())))
                .map(Enrolment::template)
                .orElseGet(() -> Template.failed(modelFingerprint, ErrorCode.NO_FACE));
    }

    private static double score(DetectedFace f) {
        return f == null ? Double.NEGATIVE_INFINITY : f.score();
    }
}
