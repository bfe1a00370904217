package dev.sameface.evaluation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ThresholdWriterTest {
    @TempDir
    Path tmp;

    @Test
    void roundsUpSoTheCalibratedFmrStillHolds() {
        assertThat(ThresholdWriter.format(0.3456781f)).isEqualTo("0.345679");
        assertThat(ThresholdWriter.format(0.5f)).isEqualTo("0.5");
        assertThat(ThresholdWriter.format(1e-5f)).isEqualTo("0.00001");
        assertThat(ThresholdWriter.format(-0.25f)).isEqualTo("-0.25");
    }

    @Test
    void replacesTheOldThresholdKeepingEverythingElse() throws Exception {
        Path cfg = tmp.resolve("my.yaml");
        Files.writeString(cfg, """
                # my pipeline
                engine: onnxruntime
                # Cosine threshold calibrated on LFW at FMR = 1e-3.
                threshold: 0.40
                threshold-fmr: "placeholder"
                embedder:
                  plugin: arcface
                  options: {flip-tta: "true", threshold: "not this one"}
                """);
        ThresholdWriter.write(cfg, null, 0.3125f, "1e-3 on LFW \"all pairs\"", "2026-11-28, FMR 0.1%");
        ThresholdWriter.write(cfg, null, 0.3125f, "1e-3 on LFW \"all pairs\"", "2026-11-28, FMR 0.1%");
        List<String> lines = Files.readAllLines(cfg);
        assertThat(lines).containsExactly(
                "# my pipeline",
                "engine: onnxruntime",
                ThresholdWriter.MARK + ": 2026-11-28, FMR 0.1%",
                "threshold: 0.3125",
                "threshold-fmr: \"1e-3 on LFW \\\"all pairs\\\"\"",
                "embedder:",
                "  plugin: arcface",
                "  options: {flip-tta: \"true\", threshold: \"not this one\"}");
    }

    @Test
    void aMultiLineProvenanceIsReplacedWholeAndThePipelineReadsTheResult() throws Exception {
        Path cfg = tmp.resolve("cal.yaml");
        Files.writeString(cfg, "# mine\nengine: onnxruntime\n");
        ThresholdWriter.write(cfg, null, 0.25f, "1e-3 on LFW", "2026-11-28 on LFW\nFMR 0.1%\npipeline: x");
        ThresholdWriter.write(cfg, null, 0.3125f, "1e-4 on LFW", "2026-11-29 on LFW\nFMR 0.01%\npipeline: y");
        assertThat(Files.readAllLines(cfg)).containsExactly("# mine", "engine: onnxruntime",
                ThresholdWriter.MARK + ": 2026-11-29 on LFW", "#   FMR 0.01%", "#   pipeline: y",
                "threshold: 0.3125", "threshold-fmr: \"1e-4 on LFW\"");
        dev.sameface.pipeline.config.PipelineConfig loaded = dev.sameface.pipeline.config.PipelineConfig.load(cfg);
        assertThat(loaded.threshold()).isEqualTo(0.3125);
        assertThat(loaded.thresholdFmr()).isEqualTo("1e-4 on LFW");
    }

    @Test
    void createsTheTargetFromTheCalibratedConfigOrFromNothing() throws Exception {
        Path source = tmp.resolve("src.yaml");
        Files.writeString(source, "engine: openvino\n");
        Path target = tmp.resolve("out/calibrated.yaml");
        ThresholdWriter.write(target, source, 0.5f, "1e-4", "x");
        assertThat(Files.readAllLines(target)).containsExactly("engine: openvino", ThresholdWriter.MARK + ": x",
                "threshold: 0.5", "threshold-fmr: \"1e-4\"");
        assertThat(Files.readString(source)).isEqualTo("engine: openvino\n");
        Path fresh = tmp.resolve("fresh.yaml");
        ThresholdWriter.write(fresh, null, 0.5f, "1e-4", "x");
        assertThat(Files.readAllLines(fresh)).containsExactly(ThresholdWriter.MARK + ": x", "threshold: 0.5",
                "threshold-fmr: \"1e-4\"");
    }
}
