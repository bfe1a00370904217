package dev.sameface.evaluation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A plain list for users' own data: one comparison per line, {@code imageA imageB label}, where label is
 * {@code 1}/{@code same}/{@code genuine} or {@code 0}/{@code diff}/{@code different}/{@code impostor}. Fields are
 * separated by tabs when the line has one (so paths may hold spaces), else by white space. Relative paths are
 * resolved against {@code root} (default: the list's folder). Blank lines and lines starting with {@code #} are
 * skipped. The list does not name people, so per-identity figures are not available for it.
 */
public final class PairListProtocol {
    private PairListProtocol() {
    }

    /**
     * @throws FaceException CONFIG_ERROR for a malformed line, INPUT_LOCATION_ERROR for a missing file (file:line)
     */
    public static PairSet read(Path listFile, Path root, boolean checkImages) {
        List<String> lines = LfwPairsProtocol.readLines(listFile);
        Path base = root != null ? root : listFile.toAbsolutePath().getParent();
        String where = listFile.getFileName().toString();
        ImageIndex index = new ImageIndex();
        IntList left = new IntList();
        IntList right = new IntList();
        IntList same = new IntList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String at = where + ":" + (i + 1);
            String[] t = line.indexOf('\t') >= 0 ? line.split("\t+") : line.split("\\s+");
            if (t.length != 3) {
                throw new FaceException(ErrorCode.CONFIG_ERROR, at + ": expected 'imageA imageB label' (3 fields), found "
                        + t.length + " in '" + line + "'");
            }
            boolean genuine = label(t[2].strip(), at);
            Path a = base.resolve(t[0].strip());
            Path b = base.resolve(t[1].strip());
            if (checkImages) {
                LfwPairsProtocol.requireFile(a, at);
                LfwPairsProtocol.requireFile(b, at);
            }
            left.add(index.add(a, null));
            right.add(index.add(b, null));
            same.add(genuine ? 1 : 0);
        }
        if (left.size() == 0) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, where + ": holds no 'imageA imageB label' line");
        }
        int[] s = same.toArray();
        boolean[] genuine = new boolean[s.length];
        for (int i = 0; i < s.length; i++) {
            genuine[i] = s[i] == 1;
        }
        return new PairSet("pair list (" + where + ")", index.images(), null, left.toArray(), right.toArray(),
                genuine, null, 0);
    }

    private static boolean label(String s, String at) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "1", "same", "genuine", "match", "true" -> true;
            case "0", "diff", "different", "impostor", "nonmatch", "false" -> false;
            default -> throw new FaceException(ErrorCode.CONFIG_ERROR, at + ": label '" + s
                    + "' is neither 1/same/genuine nor 0/diff/different/impostor");
        };
    }
}
