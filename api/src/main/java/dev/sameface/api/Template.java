package dev.sameface.api;

import java.util.Objects;

/**
 * What one image enrols as: the embedding and where the face was, or, NIST-style, a <em>failed</em> template that
 * records why no usable face was found. A failed template compares as a non-match; it is not an exception, so a
 * batch run keeps going and the failure-to-enrol rate can be counted.
 *
 * @param modelFingerprint names the embedding space (model id and file hash); only templates with the same
 *                         fingerprint can be compared
 * @param embedding        the unit vector, or {@code null} for a failed template
 * @param landmarks        the five landmarks of the face enrolled, or {@code null} when none was found
 * @param failure          why enrolment failed, or {@code null} for a good template
 */
public record Template(String modelFingerprint, Embedding embedding, Landmarks5 landmarks, ErrorCode failure) {
    public Template {
        Objects.requireNonNull(modelFingerprint, "modelFingerprint");
        if ((embedding == null) == (failure == null)) {
            throw new IllegalArgumentException("a template has either an embedding or a failure code, not both or neither");
        }
    }

    public static Template of(String modelFingerprint, Embedding embedding, Landmarks5 landmarks) {
        return new Template(modelFingerprint, Objects.requireNonNull(embedding), landmarks, null);
    }

    public static Template failed(String modelFingerprint, ErrorCode reason) {
        return new Template(modelFingerprint, null, null, Objects.requireNonNull(reason));
    }

    public boolean isFailed() {
        return failure != null;
    }
}
