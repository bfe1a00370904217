package dev.sameface.frvt.validation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.frvt.ImageDescription;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The validation run's input lists, one entry a line, blank lines and {@code #} comments ignored.
 * <ul>
 * <li>enrol and verification lists: {@code id image[:description] [image[:description] ...]}, image paths relative
 * to the data set directory, descriptions as NIST labels them ({@code unknown} when left out);</li>
 * <li>the match list: {@code enrollTemplate verifTemplate}, template file names in the templates directory.</li>
 * </ul>
 */
public final class InputList {
    private InputList() {
    }

    /** One photo named in a template line. */
    public record ImageRef(String path, ImageDescription description) {
    }

    /** One line of an enrol or verification list. */
    public record TemplateLine(String id, List<ImageRef> images) {
        public String imageColumn() {
            return String.join(",", images.stream().map(ImageRef::path).toList());
        }
    }

    /** One line of the match list. */
    public record MatchLine(String enrollTemplate, String verifTemplate) {
    }

    /** The meaningful lines of a list file, as they are. */
    public static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "cannot read input list " + file + ": " + e.getMessage(), e);
        }
    }

    public static TemplateLine templateLine(String line) {
        String[] f = line.split("\\s+");
        if (f.length < 2) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "input line '" + line + "' needs an id and at least one image");
        }
        List<ImageRef> images = new ArrayList<>();
        for (int i = 1; i < f.length; i++) {
            int colon = f[i].lastIndexOf(':');
            ImageDescription d = ImageDescription.UNKNOWN;
            String path = f[i];
            if (colon > 0) {
                try {
                    d = ImageDescription.parse(f[i].substring(colon + 1));
                    path = f[i].substring(0, colon);
                } catch (IllegalArgumentException e) {
                    throw new FaceException(ErrorCode.CONFIG_ERROR, "input line '" + line + "': " + e.getMessage(), e);
                }
            }
            images.add(new ImageRef(path, d));
        }
        return new TemplateLine(f[0], images);
    }

    public static MatchLine matchLine(String line) {
        String[] f = line.split("\\s+");
        if (f.length != 2) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "match line '" + line + "' needs exactly two template names");
        }
        return new MatchLine(f[0], f[1]);
    }
}
