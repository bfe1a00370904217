package dev.sameface.evaluation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** Which comparisons an evaluation makes: one of the three protocols, read into a {@link PairSet} on demand. */
public sealed interface ProtocolSpec permits ProtocolSpec.LfwPairs, ProtocolSpec.IdentityFolders, ProtocolSpec.PairList {
    /** @throws dev.sameface.api.FaceException when the files are missing or malformed */
    PairSet read();

    /** The impostor sampling seed, for the record; null for a protocol that does not sample. */
    default Long samplingSeed() {
        return null;
    }

    /** Where the images of an extra LFW-format accuracy pairs file are looked up. */
    default Path accuracyRoot(Path accuracyPairs) {
        return LfwPairs.defaultRoot(accuracyPairs);
    }

    /** LFW's pairs.txt format: folds of same/different lines; {@code root} null means images_deepfunneled/ beside it. */
    record LfwPairs(Path pairsFile, Path root) implements ProtocolSpec {
        public LfwPairs {
            Objects.requireNonNull(pairsFile, "pairsFile");
        }

        @Override
        public PairSet read() {
            return LfwPairsProtocol.read(pairsFile, root != null ? root : defaultRoot(pairsFile), true);
        }

        /** {@code images_deepfunneled/} beside a pairs file when it exists (LFW's layout), else the file's folder. */
        public static Path defaultRoot(Path pairsFile) {
            Path parent = pairsFile.toAbsolutePath().getParent();
            return Files.isDirectory(parent.resolve("images_deepfunneled")) ? parent.resolve("images_deepfunneled") : parent;
        }
    }

    /** {@code root/Name/*.jpg}: every genuine pair plus {@code impostors} impostor pairs sampled with {@code seed}. */
    record IdentityFolders(Path root, long impostors, long seed) implements ProtocolSpec {
        public IdentityFolders {
            Objects.requireNonNull(root, "root");
        }

        @Override
        public PairSet read() {
            return IdentityFolderProtocol.read(root, impostors, seed);
        }

        @Override
        public Long samplingSeed() {
            return seed;
        }

        /** The accuracy pairs name people of these folders: their images are here. */
        @Override
        public Path accuracyRoot(Path accuracyPairs) {
            return root;
        }
    }

    /** Lines {@code imageA imageB label}; relative paths resolve against {@code root} (null: the list's folder). */
    record PairList(Path listFile, Path root) implements ProtocolSpec {
        public PairList {
            Objects.requireNonNull(listFile, "listFile");
        }

        @Override
        public PairSet read() {
            return PairListProtocol.read(listFile, root, true);
        }
    }
}
