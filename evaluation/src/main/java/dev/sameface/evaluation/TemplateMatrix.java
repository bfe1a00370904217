package dev.sameface.evaluation;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Template;

import java.util.List;

/**
 * All templates of a run as one contiguous row-major float matrix (row i = image i), so scoring streams memory
 * instead of chasing an object per template. A failed template is a row of zeros flagged in {@link #failed}.
 */
public final class TemplateMatrix {
    private final int rows;
    private final int dimension;
    private final float[] data;
    private final boolean[] failed;

    public TemplateMatrix(int rows, int dimension, float[] data, boolean[] failed) {
        if (data.length != (long) rows * dimension || failed.length != rows) {
            throw new IllegalArgumentException("matrix size does not match rows x dimension");
        }
        this.rows = rows;
        this.dimension = dimension;
        this.data = data;
        this.failed = failed;
    }

    /**
     * @throws FaceException TEMPLATE_MISMATCH when templates come from different models or differ in dimension
     */
    public static TemplateMatrix of(List<Template> templates) {
        int dim = 0;
        String model = null;
        for (Template t : templates) {
            if (model == null) {
                model = t.modelFingerprint();
            } else if (!model.equals(t.modelFingerprint())) {
                throw new FaceException(ErrorCode.TEMPLATE_MISMATCH, "templates of one run come from different models: "
                        + model + " and " + t.modelFingerprint());
            }
            if (!t.isFailed()) {
                if (dim == 0) {
                    dim = t.embedding().dimension();
                } else if (dim != t.embedding().dimension()) {
                    throw new FaceException(ErrorCode.TEMPLATE_MISMATCH, "templates of one run differ in dimension: "
                            + dim + " and " + t.embedding().dimension());
                }
            }
        }
        int n = templates.size();
        int d = Math.max(dim, 1);
        if ((long) n * d > Integer.MAX_VALUE - 8) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "too many templates for one matrix: " + n + " x " + d);
        }
        float[] data = new float[n * d];
        boolean[] failed = new boolean[n];
        for (int i = 0; i < n; i++) {
            Template t = templates.get(i);
            if (t.isFailed()) {
                failed[i] = true;
            } else {
                System.arraycopy(t.embedding().vector(), 0, data, i * d, d);
            }
        }
        return new TemplateMatrix(n, d, data, failed);
    }

    public int rows() {
        return rows;
    }

    public int dimension() {
        return dimension;
    }

    /** The backing array, shared: row i starts at {@code i * dimension()}. */
    float[] data() {
        return data;
    }

    public boolean isFailed(int row) {
        return failed[row];
    }

    public int failedCount() {
        int c = 0;
        for (boolean f : failed) {
            if (f) {
                c++;
            }
        }
        return c;
    }
}
