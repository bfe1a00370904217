package dev.sameface.api.engine;

/** File formats a model can come in. One model id may have several, e.g. ONNX and a TorchScript export of it. */
public enum ModelFormat {
    ONNX("onnx"),
    OPENVINO_IR("xml"),
    TORCHSCRIPT("pt"),
    TFLITE("tflite");

    private final String extension;

    ModelFormat(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }
}
