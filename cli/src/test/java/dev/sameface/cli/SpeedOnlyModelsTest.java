package dev.sameface.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The generated, untrained iResNets: timed with GFLOP/s by bench-models, refused by every command that decides.
 * Needs iresnet50 generated at set-up: {@code ./sameface models fetch iresnet50} (or {@code models prepare}).
 */
@Tag("slow") // needs the generated iResNet models
class SpeedOnlyModelsTest {
    @Test
    void benchModelsReportsAchievedGflopsAndShareOfThePeak() throws Exception {
        CliRun r = CliRun.run("bench-models", "--json", "--engines", "onnxruntime", "--models", "iresnet50", "--iterations", "2", "--warmup", "1",
                "--cosine-photos", "0", "--photos", TestData.lfwImages().toString(), "--no-save");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode root = Json.MAPPER.readTree(r.out());
        JsonNode model = root.get("models").get(0);
        // arcface_torch's r50 is quoted at 12.6 GFLOPs (2 x MACs of its convolutions and fc).
        assertThat(model.get("flops").asDouble()).isCloseTo(12.6e9, within(0.2e9));
        JsonNode row = model.get("results").get(0);
        double gflops = 2.0 * model.get("macs").asLong() / (row.get("median_ms").asDouble() * 1e6);
        assertThat(row.get("gflops").asDouble()).isCloseTo(gflops, within(1e-9 * gflops));
        double peak = root.get("cpu").get("peak_gflops").asDouble();
        assertThat(peak).isEqualTo(root.get("cpu").get("flop_per_cycle").asInt() * root.get("cpu").get("ghz").asDouble());
        // Not bounded by 1: the peak uses the clock /proc/cpuinfo reports, and an idle core boosts above it (an AMD
        // EPYC here reached 1.07-1.14 of it on iResNets), which the README and bench-models' header say.
        assertThat(row.get("peak_fraction").asDouble()).isCloseTo(gflops / peak, within(1e-12)).isPositive();
    }

    /**
     * The speed-only int8 copy (made at set-up: {@code ./sameface models prepare --precision int8 iresnet50}) is timed
     * by bench-models under its own column, rated in int8 operations, and refused by every pipeline.
     */
    @Test
    void aSpeedOnlyInt8CopyIsTimedButNeverRun() throws Exception {
        var sidecar = TestData.cache().int8Sidecar("iresnet50");
        assertThat(sidecar.speedOnly()).as("iresnet50's int8 copy is speed-only").isTrue();
        assertThat(sidecar.gate()).isNull();
        CliRun r = CliRun.run("bench-models", "--json", "--engines", "onnxruntime", "--models", "iresnet50", "--precisions", "f32,int8",
                "--iterations", "2", "--warmup", "1", "--cosine-photos", "0", "--photos", TestData.lfwImages().toString(), "--no-save");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode results = Json.MAPPER.readTree(r.out()).get("models").get(0).get("results");
        JsonNode int8 = null;
        for (JsonNode row : results) {
            if (row.get("engine").asText().equals("onnxruntime/" + PrecisionVariants.SPEED_ONLY)) {
                int8 = row;
            }
        }
        assertThat(int8).as("the int8-speed-only row in %s", results).isNotNull();
        assertThat(int8.get("gops").asDouble()).isPositive();
        assertThat(int8.has("peak_fraction")).as("int8 operations are not held to the fp32 peak").isFalse();
        PipelineConfig c = PipelineConfig.defaults().withOverrides(java.util.Map.of("embedder.model", "iresnet50", "embedder.precision", "int8"));
        assertThatThrownBy(() -> TestData.pipeline(c).close()).isInstanceOf(FaceException.class).hasMessageContaining("untrained");
        assertThatThrownBy(() -> TestData.cache().int8Source("iresnet50")).isInstanceOf(FaceException.class)
                .hasMessageContaining("speed-only");
    }

    @Test
    void verifyRefusesAnUntrainedEmbedder() {
        String a = TestData.lfw("Colin_Powell", 1).toString();
        CliRun r = CliRun.run("verify", "--set", "embedder.model=iresnet50", a, a);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).contains("iresnet50").contains("speed measurement only").doesNotContain("\tat ");
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void peakComesFromTheReportedFlagsAndClock() throws Exception {
        CpuPeak xeon = CpuPeak.parse("""
                processor\t: 0
                model name\t: Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz
                cpu MHz\t\t: 3400.000
                flags\t\t: fpu sse2 avx fma avx2 avx512f avx512bw amx_tile
                """);
        assertThat(xeon.flopPerCycle()).isEqualTo(64);
        assertThat(xeon.ghz()).isEqualTo(2.30);
        assertThat(xeon.clockSource()).contains("nominal");
        CpuPeak epyc = CpuPeak.parse("""
                model name\t: AMD EPYC
                cpu MHz\t\t: 2445.422
                flags\t\t: fpu sse2 avx fma avx2
                """);
        assertThat(epyc.flopPerCycle()).isEqualTo(32);
        assertThat(epyc.ghz()).isEqualTo(2.445422);
        assertThat(epyc.clockSource()).contains("cpu MHz");
        // This machine, as it reports itself.
        String flags = Files.readString(Path.of("/proc/cpuinfo")).lines().filter(l -> l.startsWith("flags")).findFirst().orElseThrow();
        int expected = flags.contains(" avx512f") ? 64 : flags.contains(" avx2") && flags.contains(" fma") ? 32 : flags.contains(" avx") ? 16 : 8;
        assertThat(CpuPeak.read().flopPerCycle()).isEqualTo(expected);
    }
}
