package dev.sameface.api;

/**
 * What went wrong, as a closed set. Mirrors NIST FRVT's {@code ReturnCode} where the meaning is the same
 * (noted per constant), and adds the codes a library with pluggable engines and fetched models needs.
 * Each code has a {@link Kind} so a caller can tell its user's mistake from a broken installation.
 */
public enum ErrorCode {
    /** FRVT ConfigError: the configuration file or a setting in it is wrong. */
    CONFIG_ERROR(Kind.USER, 2),
    /** No plugin or engine of that name is registered. */
    UNKNOWN_NAME(Kind.USER, 2),
    /** The engine exists but cannot run here (e.g. native runtime not installed). */
    ENGINE_UNAVAILABLE(Kind.EXTERNAL, 3),
    /** A model file is not in the cache (run the set-up step). */
    MODEL_MISSING(Kind.EXTERNAL, 3),
    /** A model file's SHA-256 differs from the committed manifest. */
    MODEL_CHECKSUM_MISMATCH(Kind.EXTERNAL, 3),
    /** Fetching a model or runtime with its package client failed. */
    FETCH_FAILED(Kind.EXTERNAL, 3),
    /** FRVT InputLocationError: the input file does not exist or cannot be read. */
    INPUT_LOCATION_ERROR(Kind.USER, 4),
    /** FRVT ParseError / RefuseInput: the bytes are not an image this library decodes. */
    IMAGE_DECODE_ERROR(Kind.USER, 4),
    /** FRVT RefuseInput: the image is too large or too small to process. */
    IMAGE_SIZE_REFUSED(Kind.USER, 4),
    /** FRVT FaceDetectionError: no face was found. */
    NO_FACE(Kind.USER, 5),
    /** FRVT TemplateFormatError: a template is corrupt, truncated or not a sameface template. */
    TEMPLATE_FORMAT_ERROR(Kind.USER, 6),
    /** FRVT VerifTemplateError: two templates come from different models and cannot be compared. */
    TEMPLATE_MISMATCH(Kind.USER, 6),
    /** FRVT VendorError: the inference engine failed while running a model. */
    INFERENCE_ERROR(Kind.INTERNAL, 7),
    /** A model's inputs or outputs are not what its plugin expects. */
    MODEL_INCOMPATIBLE(Kind.EXTERNAL, 7),
    /** Reading or writing a file failed. */
    IO_ERROR(Kind.EXTERNAL, 8),
    /** FRVT NotImplemented. */
    NOT_IMPLEMENTED(Kind.INTERNAL, 9),
    /** A bug: an invariant of sameface itself did not hold. */
    INTERNAL_ERROR(Kind.INTERNAL, 10);

    /** Whose problem it is: Trino's user / external / internal split. */
    public enum Kind { USER, EXTERNAL, INTERNAL }

    private final Kind kind;
    private final int exitCode;

    ErrorCode(Kind kind, int exitCode) {
        this.kind = kind;
        this.exitCode = exitCode;
    }

    public Kind kind() {
        return kind;
    }

    /** The process exit code the command line uses for this error. */
    public int exitCode() {
        return exitCode;
    }
}
