package dev.sameface.cli;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One core's fp32 peak, from what the CPU reports in /proc/cpuinfo (never assumed): FLOP per cycle from the vector
 * flags, assuming two FMA units (AVX-512: 16 lanes x 2 (FMA) x 2 units = 64; AVX2 + FMA: 8 x 2 x 2 = 32; AVX
 * without FMA: 8 x 2 (add + mul) = 16; SSE2: 8), times the clock: the model name's nominal GHz when it states one,
 * else the {@code cpu MHz} line (the current clock, which boost and power saving move).
 */
record CpuPeak(String model, String isa, int flopPerCycle, double ghz, String clockSource) {
    private static final Pattern NOMINAL = Pattern.compile("@\\s*([0-9.]+)\\s*GHz");

    static CpuPeak read() {
        try {
            return parse(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException e) {
            throw new FaceException(ErrorCode.IO_ERROR, "cannot read /proc/cpuinfo for the CPU's peak: " + e.getMessage(), e);
        }
    }

    /** The first processor's entry of a /proc/cpuinfo text. */
    static CpuPeak parse(String cpuinfo) {
        String model = field(cpuinfo, "model name");
        String mhz = field(cpuinfo, "cpu MHz");
        String flagLine = field(cpuinfo, "flags");
        if (model == null || flagLine == null) {
            throw new FaceException(ErrorCode.IO_ERROR, "/proc/cpuinfo has no 'model name' or 'flags' line (not an x86 Linux?)");
        }
        Set<String> flags = Set.of(flagLine.split("\\s+"));
        String isa;
        int perCycle;
        if (flags.contains("avx512f")) {
            isa = "AVX-512: 2 FMA units x 16 lanes x 2";
            perCycle = 64;
        } else if (flags.contains("avx2") && flags.contains("fma")) {
            isa = "AVX2+FMA: 2 FMA units x 8 lanes x 2";
            perCycle = 32;
        } else if (flags.contains("avx")) {
            isa = "AVX: 8 lanes x (add + mul)";
            perCycle = 16;
        } else {
            isa = "SSE2: 4 lanes x (add + mul)";
            perCycle = 8;
        }
        Matcher m = NOMINAL.matcher(model);
        if (m.find()) {
            return new CpuPeak(model, isa, perCycle, Double.parseDouble(m.group(1)), "nominal, from the model name");
        }
        if (mhz == null) {
            throw new FaceException(ErrorCode.IO_ERROR, "/proc/cpuinfo states no clock (no GHz in the model name, no 'cpu MHz' line)");
        }
        return new CpuPeak(model, isa, perCycle, Double.parseDouble(mhz) / 1000, "current 'cpu MHz' of /proc/cpuinfo");
    }

    private static String field(String text, String name) {
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    double gflops() {
        return flopPerCycle * ghz;
    }

    String describe() {
        return String.format(Locale.ROOT, "%s: fp32 peak per core %d FLOP/cycle (%s) x %.3f GHz (%s) = %.1f GFLOP/s",
                model, flopPerCycle, isa, ghz, clockSource, gflops());
    }
}
