package dev.sameface.stages;

import dev.sameface.api.AlignedFace;
import dev.sameface.api.Embedder;
import dev.sameface.api.Embedding;
import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.api.Image;
import dev.sameface.api.engine.CompiledModel;
import dev.sameface.api.engine.ModelSpec;
import dev.sameface.api.engine.Tensor;
import dev.sameface.kit.Outputs;
import dev.sameface.kit.TensorPacker;

import java.util.Map;

/**
 * ArcFace-style embedder: an aligned square crop in, one vector out, L2-normalised. Colour order, mean, scale and
 * layout come from the model's manifest entry. With flip TTA the mirrored crop is embedded too and the two unit
 * vectors are summed and renormalised (a common +0.1-0.3% on LFW for twice the embedding time).
 */
public final class ArcFaceEmbedder implements Embedder {
    private final String modelId;
    private final CompiledModel model;
    private final ModelSpec spec;
    private final String inputName;
    private final String outputName;
    private final boolean flipTta;
    private final String fingerprint;
    // The input tensor, refilled per crop: this stage is used by one thread at a time.
    private final TensorPacker input;

    /**
     * @param embeddingSpace the name of the space its vectors live in, {@link dev.sameface.api.engine.ModelSource#fingerprint(String, String,
     *                       ModelSpec, ModelSpec)} of the weights and the input preparation {@code spec}
     */
    public ArcFaceEmbedder(String modelId, String embeddingSpace, CompiledModel model, ModelSpec spec, boolean flipTta) {
        this.modelId = modelId;
        this.model = model;
        this.spec = spec;
        this.flipTta = flipTta;
        this.input = new TensorPacker(spec);
        if (model.inputs().size() != 1 || model.outputs().size() != 1) {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "embedder model " + modelId + " must have one input and one output, has "
                    + model.inputs() + " -> " + model.outputs());
        }
        this.inputName = model.inputs().getFirst().name();
        this.outputName = model.outputs().getFirst().name();
        if (spec.width() <= 0 || spec.width() != spec.height()) {
            throw new FaceException(ErrorCode.MODEL_INCOMPATIBLE, "embedder model " + modelId + " must declare a square input size in the manifest");
        }
        // The weights and the input preparation define the space; TTA and engine do not, so their templates stay comparable.
        this.fingerprint = embeddingSpace;
    }

    @Override
    public Embedding embed(AlignedFace face) {
        Image crop = face.crop();
        if (crop.width() != spec.width() || crop.height() != spec.height()) {
            throw new FaceException(ErrorCode.INTERNAL_ERROR, "embedder " + modelId + " needs " + spec.width() + "x" + spec.height()
                    + " crops, the aligner gave " + crop.width() + "x" + crop.height());
        }
        float[] v = raw(crop);
        if (flipTta) {
            float[] f = raw(crop.mirrored());
            float[] a = Embedding.normalised(v).vector();
            float[] b = Embedding.normalised(f).vector();
            for (int i = 0; i < a.length; i++) {
                a[i] += b[i];
            }
            v = a;
        }
        return Embedding.normalised(v);
    }

    private float[] raw(Image crop) {
        Tensor in = input.pack(crop, 0, 0, crop.width(), crop.height(), crop.width(), crop.height());
        requireImageInformation(in);
        return Outputs.get(model.run(Map.of(inputName, in)), outputName, modelId).toArray();
    }

    /**
     * A constant input tensor (e.g. a {@code scale} so small that every value is a denormal, i.e. 0 to the engine) makes the network give
     * one and the same vector for every face, so everyone would "match" with score 1: an error, never a score.
     */
    private void requireImageInformation(Tensor in) {
        // Compared as the engines see them: they flush denormals to zero (FTZ/DAZ), so 1e-40 and 0 are one value.
        float first = flushed(in.get(0));
        for (int i = 1, n = in.size(); i < n; i++) {
            if (flushed(in.get(i)) != first) {
                return;
            }
        }
        throw new FaceException(ErrorCode.INFERENCE_ERROR, "embedder " + modelId + " input is constant (" + first
                + " everywhere): its mean/scale (" + spec.mean() + ", " + spec.scale() + ") erase the face, and every face would embed alike");
    }

    private static float flushed(float v) {
        return Math.abs(v) < Float.MIN_NORMAL ? 0f : v;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public int cropSize() {
        return spec.width();
    }

    @Override
    public boolean mirrors() {
        return flipTta;
    }

    @Override
    public void close() {
        // The model belongs to the pipeline, which closes it.
    }
}
