package dev.sameface.evaluation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The identity-folder protocol: {@code root/Name/*.jpg}, one folder per person. Every pair of images of one person
 * is a genuine comparison; impostor comparisons are a seeded uniform random sample, without repetition, of the
 * unordered pairs of images of two different people (all of them when fewer exist than asked for).
 */
public final class IdentityFolderProtocol {
    public static final int DEFAULT_IMPOSTORS = 2_000_000;
    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp");

    private IdentityFolderProtocol() {
    }

    /**
     * @throws FaceException INPUT_LOCATION_ERROR when root is not a readable folder or holds no images
     */
    public static PairSet read(Path root, long impostors, long seed) {
        if (impostors < 0) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "the number of impostor pairs must not be negative: " + impostors);
        }
        if (!Files.isDirectory(root)) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "identity folder root " + root + " is not a folder");
        }
        ImageIndex index = new ImageIndex();
        List<int[]> bySubject = new ArrayList<>();
        for (Path person : list(root, true)) {
            List<Path> files = list(person, false);
            if (files.isEmpty()) {
                continue;
            }
            String subject = person.getFileName().toString();
            int[] ids = new int[files.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = index.add(files.get(i), subject);
            }
            bySubject.add(ids);
        }
        int n = index.images().size();
        if (n < 2) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "identity folder root " + root
                    + " holds " + n + " image(s) in per-person folders (expected root/Name/*.jpg)");
        }
        int[] subjectOf = new int[n];
        long genuineTotal = 0;
        for (int s = 0; s < bySubject.size(); s++) {
            for (int id : bySubject.get(s)) {
                subjectOf[id] = s;
            }
            long k = bySubject.get(s).length;
            genuineTotal += k * (k - 1) / 2;
        }
        if (genuineTotal > Integer.MAX_VALUE - 8) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "too many genuine pairs: " + genuineTotal);
        }
        IntList left = new IntList();
        IntList right = new IntList();
        for (int[] ids : bySubject) {
            for (int i = 0; i < ids.length; i++) {
                for (int j = i + 1; j < ids.length; j++) {
                    left.add(ids[i]);
                    right.add(ids[j]);
                }
            }
        }
        int genuine = left.size();
        long possible = (long) n * (n - 1) / 2 - genuineTotal;
        long[] keys = sampleImpostors(n, subjectOf, Math.min(impostors, possible), possible, seed);
        if (genuine + (long) keys.length > Integer.MAX_VALUE - 8) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "too many pairs: " + genuine + " + " + keys.length);
        }
        for (long k : keys) {
            left.add((int) (k / n));
            right.add((int) (k % n));
        }
        boolean[] isGenuine = new boolean[left.size()];
        Arrays.fill(isGenuine, 0, genuine, true);
        return new PairSet("identity folders (" + root.getFileName() + ", " + bySubject.size() + " people, seed " + seed + ")",
                index.images(), index.subjects(), left.toArray(), right.toArray(), isGenuine, null, 0);
    }

    /**
     * Keys {@code a * n + b} with a &lt; b of distinct subjects, sorted (which also keeps row a hot when scoring).
     * Public so that a distributed scorer draws the very same sample from the same seed.
     */
    public static long[] sampleImpostors(int n, int[] subjectOf, long wanted, long possible, long seed) {
        if (wanted > Integer.MAX_VALUE - 8) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "too many impostor pairs asked for: " + wanted);
        }
        SplittableRandom random = new SplittableRandom(seed);
        long[] keys = new long[(int) wanted];
        int got = 0;
        if (wanted * 2 > possible) {
            // Dense: walk every impostor pair once and keep each with probability needed/remaining (Knuth's
            // selection sampling): uniform, exact count, no rejection loop that would crawl near the end.
            long remaining = possible;
            for (int a = 0; a < n && got < wanted; a++) {
                for (int b = a + 1; b < n && got < wanted; b++) {
                    if (subjectOf[a] == subjectOf[b]) {
                        continue;
                    }
                    if (random.nextLong(remaining) < wanted - got) {
                        keys[got++] = (long) a * n + b;
                    }
                    remaining--;
                }
            }
            return keys;
        }
        LongHashSet seen = new LongHashSet((int) wanted);
        while (got < wanted) {
            int a = random.nextInt(n);
            int b = random.nextInt(n);
            if (a == b || subjectOf[a] == subjectOf[b]) {
                continue;
            }
            long key = a < b ? (long) a * n + b : (long) b * n + a;
            if (seen.add(key)) {
                keys[got++] = key;
            }
        }
        Arrays.sort(keys);
        return keys;
    }

    private static List<Path> list(Path dir, boolean folders) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> folders ? Files.isDirectory(p) : Files.isRegularFile(p) && isImage(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }
}
