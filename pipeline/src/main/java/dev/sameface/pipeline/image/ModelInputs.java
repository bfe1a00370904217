package dev.sameface.pipeline.image;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.api.engine.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Realistic inputs for one model at a time, for benchmarks and engine parity checks that run a model without its
 * stage: real photos prepared exactly as the model's manifest entry says, through {@link ImageOps}. Not an
 * alignment: engines need the same realistic pixels, not a correct crop.
 */
public final class ModelInputs {
    private ModelInputs() {
    }

    /**
     * A detector sees the whole photo (stretched to a fixed input, as the ultralight stage does; scaled to fit and
     * zero-padded for a dynamic input, as the yunet stage does); other models see the centre square of half the
     * photo's side, where a portrait's face is.
     *
     * @param width  the input width; for a dynamic model, the size to run it at
     * @param height the input height
     */
    public static Tensor fromPhoto(Image img, boolean detector, ModelSpec spec, int width, int height) {
        boolean dynamic = spec.width() == 0 || spec.height() == 0;
        if (detector && dynamic) {
            double s = Math.min((double) width / img.width(), (double) height / img.height());
            return ImageOps.toTensor(img, 0, 0, width / s, height / s, width, height, spec);
        }
        if (detector) {
            return ImageOps.toTensor(img, 0, 0, img.width(), img.height(), width, height, spec);
        }
        double side = Math.min(img.width(), img.height()) / 2.0;
        return ImageOps.toTensor(img, (img.width() - side) / 2, (img.height() - side) / 2, side, side, width, height, spec);
    }

    /** {@code count} photos (.jpg, .jpeg, .png) spread evenly over the sorted files under {@code dir}, so many people show. */
    public static List<Path> photos(Path dir, int count) {
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.filter(p -> {
                String f = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return Files.isRegularFile(p) && (f.endsWith(".jpg") || f.endsWith(".jpeg") || f.endsWith(".png"));
            }).sorted().toList();
        } catch (IOException e) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "cannot list photos under " + dir + ": " + e.getMessage(), e);
        }
        if (all.isEmpty()) {
            throw new FaceException(ErrorCode.INPUT_LOCATION_ERROR, "no .jpg or .png photos under " + dir);
        }
        int want = Math.min(count, all.size());
        List<Path> pick = new ArrayList<>(want);
        for (int i = 0; i < want; i++) {
            pick.add(all.get((int) ((long) i * all.size() / want)));
        }
        return pick;
    }

    /** Cosine of two tensors taken as flat vectors. */
    public static double cosine(Tensor a, Tensor b) {
        requireSameSize(a, b);
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += (double) a.get(i) * b.get(i);
            na += (double) a.get(i) * a.get(i);
            nb += (double) b.get(i) * b.get(i);
        }
        return dot / Math.sqrt(na * nb);
    }

    /** The largest element-wise absolute difference. */
    public static double maxAbsDiff(Tensor a, Tensor b) {
        requireSameSize(a, b);
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            max = Math.max(max, Math.abs((double) a.get(i) - b.get(i)));
        }
        return max;
    }

    private static void requireSameSize(Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("tensors differ in size: " + a + " vs " + b);
        }
    }
}
