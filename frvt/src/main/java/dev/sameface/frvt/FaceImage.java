package dev.sameface.frvt;

import dev.sameface.api.Image;

import java.util.Objects;

/** One photo handed to {@link Frvt11}: raw 8-bit grey or RGB pixels and NIST's description of the capture. */
public record FaceImage(Image image, ImageDescription description) {
    public FaceImage {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(description, "description");
    }
}
