package dev.sameface.pipeline.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The {@code templates:} section: how template files that leave the process are protected.
 *
 * @param keyFile a file holding a 256-bit key as 64 hex digits, readable by its owner only; when set, every template
 *                written carries an HMAC-SHA256 (or is AES-GCM encrypted), and only such templates made with this key
 *                are accepted
 * @param encrypt encrypt templates too (AES-256-GCM), not only authenticate them; needs {@code key-file}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TemplateSettings(String keyFile, Boolean encrypt) {
    public TemplateSettings {
        if (Boolean.TRUE.equals(encrypt) && (keyFile == null || keyFile.isBlank())) {
            throw new dev.sameface.api.FaceException(dev.sameface.api.ErrorCode.CONFIG_ERROR,
                    "templates.encrypt: true needs templates.key-file (a file with a 256-bit key as 64 hex digits)");
        }
    }
}
