package dev.sameface.cli;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.evaluation.ProtocolSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Which comparisons to make: the options {@code evaluate} and {@code calibrate} share (a picocli mixin). */
final class ProtocolOptions {
    /** The protocols on the command line. */
    enum Kind { pairs, folders, list }

    @Option(names = "--protocol", required = true, paramLabel = "pairs|folders|list",
            description = "pairs: LFW pairs.txt format (folds, same/different lines); folders: root/Name/*.jpg, all "
                    + "genuine pairs + a seeded sample of impostor pairs; list: lines 'imageA imageB label' (1/0 or same/diff).")
    Kind protocol;

    @Option(names = "--pairs", paramLabel = "FILE", description = "The pairs file (pairs protocol), e.g. lfw/pairs.txt.")
    Path pairs;

    @Option(names = "--root", paramLabel = "DIR", description = "Folder of per-person folders (folders protocol; "
            + "pairs protocol: default images_deepfunneled/ beside the pairs file); list protocol: base of relative "
            + "paths (default: the list's folder).")
    Path root;

    @Option(names = "--list", paramLabel = "FILE", description = "The list file (list protocol).")
    Path list;

    @Option(names = "--impostors", defaultValue = "2000000", paramLabel = "N",
            description = "Impostor pairs sampled by the folders protocol (default ${DEFAULT-VALUE}).")
    long impostors;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed of the impostor sample and of the bootstrap (default ${DEFAULT-VALUE}).")
    long seed;

    /** @throws FaceException CONFIG_ERROR when the options of the chosen protocol are missing */
    ProtocolSpec spec() {
        return switch (protocol) {
            case pairs -> {
                require(pairs, "--pairs FILE");
                yield new ProtocolSpec.LfwPairs(pairs, root);
            }
            case folders -> {
                require(root, "--root DIR");
                yield new ProtocolSpec.IdentityFolders(root, impostors, seed);
            }
            case list -> {
                require(list, "--list FILE");
                yield new ProtocolSpec.PairList(list, root);
            }
        };
    }

    /** Seeds the bootstrap over people (and, for folders, the impostor sample). */
    long seed() {
        return seed;
    }

    private void require(Object value, String option) {
        if (value == null) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "--protocol " + protocol + " needs " + option);
        }
    }
}
