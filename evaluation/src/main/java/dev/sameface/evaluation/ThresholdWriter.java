package dev.sameface.evaluation;

import dev.sameface.pipeline.files.AtomicFiles;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes a calibrated threshold into a YAML pipeline configuration as the top-level keys {@code threshold} and
 * {@code threshold-fmr}, with a comment saying where it came from. The file is edited as text, so the user's other
 * settings and comments stay as they were; earlier calibration lines are replaced, not repeated.
 */
public final class ThresholdWriter {
    static final String MARK = "# Threshold calibrated by 'sameface calibrate'";
    private static final Pattern TOP_LEVEL_THRESHOLD = Pattern.compile("^threshold(-fmr)?\\s*:.*");

    private ThresholdWriter() {
    }

    /**
     * Six decimals, rounded up from the float's exact value: rounding down would let more impostors through than the
     * calibration allowed.
     */
    public static String format(float threshold) {
        return new BigDecimal((double) threshold).setScale(6, RoundingMode.CEILING).stripTrailingZeros().toPlainString();
    }

    /**
     * @param target     the file to write; created (from {@code template}'s text, if given) when missing
     * @param template   the configuration calibrated, copied when {@code target} does not exist; null for defaults
     * @param threshold  the threshold
     * @param fmrText    the value of {@code threshold-fmr}, e.g. "1e-3 on LFW identity folders, seed 42"
     * @param provenance one line for the comment
     */
    public static void write(Path target, Path template, float threshold, String fmrText, String provenance) {
        List<String> lines = new ArrayList<>();
        try {
            if (Files.exists(target)) {
                lines.addAll(Files.readAllLines(target, StandardCharsets.UTF_8));
            } else if (template != null) {
                lines.addAll(Files.readAllLines(template, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot read " + (Files.exists(target) ? target : template) + ": " + e.getMessage(), e);
        }
        List<String> block = new ArrayList<>();
        String[] said = provenance.split("\n");
        block.add(MARK + ": " + said[0]);
        for (int i = 1; i < said.length; i++) {
            block.add("#   " + said[i]);
        }
        block.add("threshold: " + format(threshold));
        block.add("threshold-fmr: " + quote(fmrText));
        List<String> out = new ArrayList<>();
        int insertAt = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (TOP_LEVEL_THRESHOLD.matcher(line).matches()) {
                if (insertAt < 0) {
                    insertAt = out.size();
                }
                // The comment right above the old threshold described it and no longer applies: an earlier
                // calibration's whole block, or a single comment line that speaks of the threshold.
                int firstComment = out.size();
                while (firstComment > 0 && out.get(firstComment - 1).strip().startsWith("#")) {
                    firstComment--;
                }
                int cut = out.size();
                for (int k = firstComment; k < out.size(); k++) {
                    if (out.get(k).startsWith(MARK)) {
                        cut = k;
                        break;
                    }
                }
                if (cut == out.size() && cut > firstComment && isThresholdComment(out.getLast())) {
                    cut = out.size() - 1;
                }
                while (out.size() > cut) {
                    out.removeLast();
                }
                insertAt = Math.min(insertAt, out.size());
                continue;
            }
            out.add(line);
        }
        if (insertAt < 0) {
            insertAt = out.size();
        }
        out.addAll(insertAt, block);
        AtomicFiles.writeString(target, String.join(System.lineSeparator(), out) + System.lineSeparator());
    }

    private static boolean isThresholdComment(String line) {
        String l = line.strip().toLowerCase(java.util.Locale.ROOT);
        return l.startsWith("#") && l.contains("threshold");
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
