package dev.sameface.evaluation;

import dev.sameface.api.FaceException;
import dev.sameface.api.Template;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a protocol's images into a {@link TemplateMatrix}: each image is looked up in the template store by its
 * content hash and enrolled through the pipeline only when missing; every new template is appended at once, so a
 * killed run loses at most the image it was working on.
 */
public final class Enrolment {
    /**
     * @param images           images enrolled (= rows)
     * @param computed         templates made by the pipeline in this run
     * @param reused           templates read from the store
     * @param failed           failed templates (no usable face, undecodable image, ...)
     * @param failuresByCode   failed templates per error code
     * @param droppedBytes     bytes of a torn record cut off when the store was opened
     * @param secondsComputing wall time spent in the pipeline
     */
    public record Stats(int images, int computed, int reused, int failed, Map<String, Integer> failuresByCode,
                        long droppedBytes, double secondsComputing) {
        /** Failure-to-enrol rate over the images of the protocol. */
        public double fte() {
            return images == 0 ? 0 : (double) failed / images;
        }
    }

    public record Result(TemplateMatrix matrix, Stats stats) {
    }

    /** Image content hashes, computed once per run and shared by the configurations of that run. */
    public static final class Digests {
        private final Map<Path, byte[]> byPath = new HashMap<>();

        byte[] of(Path image) {
            return byPath.computeIfAbsent(image, ImageDigest::sha256);
        }
    }

    private Enrolment() {
    }

    /**
     * @throws FaceException from the extractor for configuration/model/engine problems, or INPUT_LOCATION_ERROR
     *                       for an image that cannot be read
     */
    public static Result enrol(List<Path> images, TemplateExtractor extractor, TemplateStore store, Digests digests,
                               Progress progress, String label) {
        List<Template> templates = new ArrayList<>(images.size());
        int computed = 0;
        long nanos = 0;
        Map<String, Integer> failures = new TreeMap<>();
        try (Progress.Bar bar = progress.start("templates " + shorten(label), images.size())) {
            for (Path image : images) {
                byte[] key = digests.of(image);
                Template t = store.get(key);
                if (t == null) {
                    long t0 = System.nanoTime();
                    t = extractor.extract(image);
                    nanos += System.nanoTime() - t0;
                    store.put(key, t);
                    computed++;
                }
                if (t.isFailed()) {
                    failures.merge(t.failure().name(), 1, Integer::sum);
                }
                templates.add(t);
                bar.step();
            }
        }
        TemplateMatrix matrix = TemplateMatrix.of(templates);
        int failed = failures.values().stream().mapToInt(Integer::intValue).sum();
        return new Result(matrix, new Stats(images.size(), computed, images.size() - computed, failed,
                failures, store.droppedBytes(), nanos / 1e9));
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 39) + "…";
    }
}
