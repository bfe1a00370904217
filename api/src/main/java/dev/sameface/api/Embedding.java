package dev.sameface.api;

/** A face embedding with unit L2 norm. The array is copied in and out. */
public record Embedding(float[] vector) {
    public Embedding {
        if (vector == null || vector.length == 0) {
            throw new IllegalArgumentException("embedding must not be empty");
        }
        vector = vector.clone();
    }

    /** Scales {@code raw} to unit length; refuses a zero or non-finite vector, which no face should produce. */
    public static Embedding normalised(float[] raw) {
        double sum = 0;
        for (float v : raw) {
            sum += (double) v * v;
        }
        if (!(sum > 0) || !Double.isFinite(sum)) {
            throw new FaceException(ErrorCode.INFERENCE_ERROR, "the embedder produced a zero or non-finite vector");
        }
        float inv = (float) (1 / Math.sqrt(sum));
        float[] out = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = raw[i] * inv;
        }
        return new Embedding(out);
    }

    @Override
    public float[] vector() {
        return vector.clone();
    }

    public int dimension() {
        return vector.length;
    }

    /** Dot product, i.e. cosine similarity of two unit vectors. */
    public double dot(Embedding o) {
        if (o.vector.length != vector.length) {
            throw new FaceException(ErrorCode.TEMPLATE_MISMATCH,
                    "embeddings of different dimension: " + vector.length + " vs " + o.vector.length);
        }
        double s = 0;
        for (int i = 0; i < vector.length; i++) {
            s += (double) vector[i] * o.vector[i];
        }
        return s;
    }
}
