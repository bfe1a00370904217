package dev.sameface.evaluation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.image.InputFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The LFW pairs protocol. {@code pairs.txt} starts with {@code folds n} (e.g. {@code 10 300}); each fold holds n
 * same-person lines {@code Name i j} followed by n different-person lines {@code NameA i NameB j}.
 * {@code pairsDevTrain.txt}/{@code pairsDevTest.txt} start with just {@code n}: one fold. Image {@code i} of
 * {@code Name} is {@code root/Name/Name_%04d.jpg}.
 */
public final class LfwPairsProtocol {
    private LfwPairsProtocol() {
    }

    /**
     * @param pairsFile the pairs file
     * @param root      the folder holding one folder per person ({@code images_deepfunneled} for LFW)
     * @param checkImages whether to check that every image file exists (a run should fail now, not an hour later)
     * @throws FaceException CONFIG_ERROR for a malformed line, INPUT_LOCATION_ERROR for a missing file
     */
    public static PairSet read(Path pairsFile, Path root, boolean checkImages) {
        List<String> lines = readLines(pairsFile);
        String where = pairsFile.getFileName().toString();
        int lineNo = 0;
        while (lineNo < lines.size() && lines.get(lineNo).isBlank()) {
            lineNo++;
        }
        if (lineNo == lines.size()) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, where + ": empty pairs file");
        }
        String[] header = lines.get(lineNo).trim().split("\\s+");
        int folds;
        int perClass;
        try {
            if (header.length == 2) {
                folds = Integer.parseInt(header[0]);
                perClass = Integer.parseInt(header[1]);
            } else if (header.length == 1) {
                folds = 1;
                perClass = Integer.parseInt(header[0]);
            } else {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, where + ":" + (lineNo + 1)
                    + ": expected the header 'folds pairsPerClass' (e.g. '10 300') or 'pairsPerClass', found '"
                    + lines.get(lineNo).trim() + "'");
        }
        if (folds < 1 || perClass < 1) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, where + ":" + (lineNo + 1) + ": header numbers must be positive");
        }
        lineNo++;
        ImageIndex index = new ImageIndex();
        int total = folds * 2 * perClass;
        int[] left = new int[total];
        int[] right = new int[total];
        boolean[] genuine = new boolean[total];
        int[] fold = new int[total];
        int p = 0;
        for (int f = 0; f < folds; f++) {
            for (int k = 0; k < 2 * perClass; k++) {
                boolean same = k < perClass;
                while (lineNo < lines.size() && lines.get(lineNo).isBlank()) {
                    lineNo++;
                }
                if (lineNo == lines.size()) {
                    throw new FaceException(ErrorCode.CONFIG_ERROR, where + ": ends after " + p + " of the " + total
                            + " pairs its header '" + String.join(" ", header) + "' announces");
                }
                String line = lines.get(lineNo);
                String at = where + ":" + (lineNo + 1);
                String[] t = line.trim().split("\\s+");
                if (same && t.length != 3 || !same && t.length != 4) {
                    throw new FaceException(ErrorCode.CONFIG_ERROR, at + ": expected a "
                            + (same ? "same-person line 'Name i j'" : "different-person line 'NameA i NameB j'")
                            + " (fold " + (f + 1) + ", pair " + (k + 1) + "), found '" + line.trim() + "'");
                }
                String nameA = t[0];
                String nameB = same ? t[0] : t[2];
                int i = number(t[1], at);
                int j = number(same ? t[2] : t[3], at);
                if (!same && nameA.equals(nameB)) {
                    throw new FaceException(ErrorCode.CONFIG_ERROR, at + ": a different-person line names " + nameA + " twice");
                }
                Path a = imagePath(root, nameA, i);
                Path b = imagePath(root, nameB, j);
                if (checkImages) {
                    requireFile(a, at);
                    requireFile(b, at);
                }
                left[p] = index.add(a, nameA);
                right[p] = index.add(b, nameB);
                genuine[p] = same;
                fold[p] = f;
                p++;
                lineNo++;
            }
        }
        for (; lineNo < lines.size(); lineNo++) {
            if (!lines.get(lineNo).isBlank()) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, where + ":" + (lineNo + 1) + ": more lines than the header '"
                        + String.join(" ", header) + "' announces");
            }
        }
        return new PairSet("LFW pairs (" + where + ", " + folds + " fold" + (folds > 1 ? "s" : "") + ")",
                index.images(), index.subjects(), left, right, genuine, folds > 1 ? fold : null, folds > 1 ? folds : 0);
    }

    /** {@code root/Name/Name_%04d.jpg}, LFW's naming. */
    public static Path imagePath(Path root, String name, int i) {
        return root.resolve(name).resolve(String.format(Locale.ROOT, "%s_%04d.jpg", name, i));
    }

    /** The image at {@code p} must pass the input door (a regular file within the cap): said now, with file:line. */
    static void requireFile(Path p, String at) {
        try {
            InputFiles.checkedSize(p, InputFiles.maxBytes());
        } catch (FaceException e) {
            throw new FaceException(e.code(), at + ": " + e.getMessage(), e);
        }
    }

    private static int number(String s, String at) {
        try {
            int v = Integer.parseInt(s);
            if (v < 1) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, at + ": '" + s + "' is not an image number (1, 2, ...)");
        }
    }

    static List<String> readLines(Path file) {
        // Not capped (a list of millions of pairs is legitimate), but a FIFO or device would never end.
        InputFiles.checkedSize(file, Long.MAX_VALUE);
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
