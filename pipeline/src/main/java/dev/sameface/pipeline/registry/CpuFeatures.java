package dev.sameface.pipeline.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the CPU reports it can do, from {@code /proc/cpuinfo}: precision choices are made by these flags, never by
 * assuming the machine's vendor or generation. Off Linux (no /proc/cpuinfo) no flag is reported, so only f32 and
 * int8 (which every x86-64 runtime kernel set covers) are offered.
 *
 * @param model the first {@code model name}
 * @param flags the first {@code flags} line
 */
public record CpuFeatures(String model, Set<String> flags) {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    private static volatile CpuFeatures current;

    public CpuFeatures {
        flags = Set.copyOf(flags);
    }

    public static CpuFeatures current() {
        CpuFeatures c = current;
        if (c == null) {
            String text;
            try {
                text = Files.readString(CPUINFO);
            } catch (IOException e) {
                text = "";
            }
            c = parse(text);
            current = c;
        }
        return c;
    }

    public static CpuFeatures parse(String cpuinfo) {
        String model = "unknown CPU";
        Set<String> flags = Set.of();
        for (String line : cpuinfo.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if ("model name".equals(key) && "unknown CPU".equals(model)) {
                model = value;
            } else if ("flags".equals(key) && flags.isEmpty()) {
                flags = new TreeSet<>(Arrays.asList(value.split("\\s+")));
            }
        }
        return new CpuFeatures(model, flags);
    }

    /** bf16 arithmetic OpenVINO's CPU plugin uses: AVX512_BF16 (Cooper Lake, Zen 4 and later) or AMX (Sapphire Rapids). */
    public boolean hasBf16() {
        return flags.contains("avx512_bf16") || flags.contains("amx_bf16");
    }

    /** Dot-product instructions for int8 (without them int8 still runs, on AVX2's slower u8s8 kernels). */
    public boolean hasInt8DotProduct() {
        return flags.contains("avx512_vnni") || flags.contains("avx_vnni") || flags.contains("amx_int8");
    }

    /** The flags precision depends on that this CPU has, for messages: e.g. {@code avx2 fma} or {@code avx2 avx512_bf16 amx_bf16}. */
    public String precisionFlags() {
        var relevant = new TreeSet<String>();
        for (String f : flags) {
            if (f.startsWith("avx") || f.startsWith("amx") || f.equals("fma")) {
                relevant.add(f);
            }
        }
        return relevant.isEmpty() ? "none of avx*/amx*" : String.join(" ", relevant);
    }
}
