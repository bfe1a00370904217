package dev.sameface.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sameface.pipeline.testing.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
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
