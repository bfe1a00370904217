package dev.sameface.frvt;

import java.util.Locale;

/** How NIST labels an image's capture ({@code Image::Label}); sameface treats all alike but keeps the label. */
public enum ImageDescription {
    UNKNOWN, ISO, MUGSHOT, PHOTOJOURNALISM, EXPLOITATION, WILD;

    /** Case-insensitive, as written in validation input lists; unknown words are refused, not guessed. */
    public static ImageDescription parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown image description '" + s + "' (one of unknown, iso, mugshot, "
                    + "photojournalism, exploitation, wild)", e);
        }
    }
}
