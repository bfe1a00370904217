package dev.sameface.frvt;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Frvt11#createFaceTemplate} returns: always template bytes (a failed template encodes why), one
 * {@link EyePair} per input image in input order, NIST's return code and, when it is not success, a one-line reason.
 */
public record TemplateResult(ReturnCode code, byte[] template, List<EyePair> eyes, String reason) {
    public TemplateResult {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(template, "template");
        eyes = List.copyOf(eyes);
    }

    @Override
    public byte[] template() {
        return template.clone();
    }
}
