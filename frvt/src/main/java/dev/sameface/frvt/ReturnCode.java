package dev.sameface.frvt;

import dev.sameface.api.ErrorCode;

/** NIST FRVT 1:1's return codes, with their numbers as the validation logs print them. */
public enum ReturnCode {
    SUCCESS(0),
    UNKNOWN_ERROR(1),
    CONFIG_ERROR(2),
    REFUSE_INPUT(3),
    EXTRACT_ERROR(4),
    PARSE_ERROR(5),
    TEMPLATE_CREATION_ERROR(6),
    VERIF_TEMPLATE_ERROR(7),
    FACE_DETECTION_ERROR(8),
    NUM_DATA_ERROR(9),
    TEMPLATE_FORMAT_ERROR(10),
    ENROLL_DIR_ERROR(11),
    INPUT_LOCATION_ERROR(12),
    MEMORY_ERROR(13),
    MATCH_ERROR(14),
    QUALITY_ASSESSMENT_ERROR(15),
    NOT_IMPLEMENTED(16),
    VENDOR_ERROR(17);

    private final int code;

    ReturnCode(int code) {
        this.code = code;
    }

    /** The number NIST's API and logs use. */
    public int code() {
        return code;
    }

    /** NIST's own spelling (e.g. {@code VerifTemplateError}), for logs and tables. */
    public String nistName() {
        StringBuilder sb = new StringBuilder();
        for (String part : name().split("_")) {
            sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return sb.toString();
    }

    /**
     * What a sameface error means in NIST's terms: one-to-one where the meaning is the same (decode failure is
     * ParseError, a refused size RefuseInput, no face FaceDetectionError, a bad template TemplateFormatError,
     * templates of two models VerifTemplateError); an installation that cannot start (unknown plugin, missing or
     * altered model, unavailable engine) is a ConfigError; an engine failing while it runs is a VendorError.
     * Exhaustive on purpose: a new {@link ErrorCode} does not compile until it is placed here.
     */
    public static ReturnCode of(ErrorCode e) {
        return switch (e) {
            case CONFIG_ERROR, UNKNOWN_NAME, ENGINE_UNAVAILABLE, MODEL_MISSING, MODEL_CHECKSUM_MISMATCH, FETCH_FAILED,
                 MODEL_INCOMPATIBLE -> CONFIG_ERROR;
            case INPUT_LOCATION_ERROR -> INPUT_LOCATION_ERROR;
            case IMAGE_DECODE_ERROR -> PARSE_ERROR;
            case IMAGE_SIZE_REFUSED -> REFUSE_INPUT;
            case NO_FACE -> FACE_DETECTION_ERROR;
            case TEMPLATE_FORMAT_ERROR -> TEMPLATE_FORMAT_ERROR;
            case TEMPLATE_MISMATCH -> VERIF_TEMPLATE_ERROR;
            case INFERENCE_ERROR -> VENDOR_ERROR;
            case IO_ERROR -> UNKNOWN_ERROR;
            case NOT_IMPLEMENTED -> NOT_IMPLEMENTED;
            case INTERNAL_ERROR -> UNKNOWN_ERROR;
        };
    }
}
