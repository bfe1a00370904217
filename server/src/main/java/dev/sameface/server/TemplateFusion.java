package dev.sameface.server;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.Template;
import dev.sameface.frvt.Frvt11;
import dev.sameface.pipeline.Enrolment;

import java.util.List;

/**
 * One template from several photos of one person: the one place the server decides it, and it decides it as the FRVT
 * 1:1 contract does ({@link Frvt11#fuse}: the normalised mean of the good photos' embeddings, each photo weighing the
 * same), so a template made over HTTP and one made by the facade are the same for the same photos.
 */
final class TemplateFusion {
    private TemplateFusion() {
    }

    /** The person's template, or a failed one (NO_FACE) when no photo gave a face; landmarks of the first good photo. */
    static Template fuse(List<Enrolment> enrolments, String modelFingerprint) {
        List<Template> good = enrolments.stream().map(Enrolment::template).filter(t -> !t.isFailed()).toList();
        if (good.isEmpty()) {
            return Template.failed(modelFingerprint, ErrorCode.NO_FACE);
        }
        return Template.of(modelFingerprint, Frvt11.fuse(good.stream().map(Template::embedding).toList()), good.getFirst().landmarks());
    }
}
