package dev.sameface.frvt;

/** What a template is made for, NIST's {@code TemplateRole}: sameface makes the same template for both. */
public enum TemplateRole {
    ENROLLMENT_11,
    VERIFICATION_11
}
