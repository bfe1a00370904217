package dev.sameface.benchmarks;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.Enrolment;
import dev.sameface.pipeline.FacePipeline;
import dev.sameface.pipeline.Pipelines;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.image.ImageDecoder;
import dev.sameface.pipeline.image.ModelInputs;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Java time outside engine calls per template: enrols LFW photos with the default pipeline on
 * {@code timed-onnxruntime} and reports, per photo, the template time minus the time spent inside
 * {@code CompiledModel.run}, as medians. Usage: {@code scripts/jmh --overhead [photos] [warm-up] [detector]}.
 */
public final class JavaOverhead {
    private JavaOverhead() {
    }

    public static void main(String[] args) {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 150;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        String detector = args.length > 2 ? args[2] : "ultralight";
        List<Path> photos = ModelInputs.photos(Lfw.images(), images + warmup);
        PipelineConfig config = PipelineConfig.defaults().withOverrides(Map.of("engine", TimedOnnxRuntimeProvider.NAME,
                "detector.plugin", detector));
        if (!System.getenv().containsKey("SAMEFACE_LOCAL_MODELS") && detector.startsWith("yunet")) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "YuNet is a local model: set SAMEFACE_LOCAL_MODELS=../shared/models");
        }
        long[] outside = new long[images];
        long[] engine = new long[images];
        long[] total = new long[images];
        long[] decode = new long[images];
        Map<String, long[]> perModel = new java.util.TreeMap<>();
        int n = 0;
        try (FacePipeline p = Pipelines.create(config)) {
            for (int i = 0; i < photos.size(); i++) {
                TimedOnnxRuntimeProvider.takeEngineTime();
                Enrolment e = p.enrol(photos.get(i));
                Map<String, long[]> inEngine = TimedOnnxRuntimeProvider.takeEngineTime();
                if (i < warmup || e.template().isFailed()) {
                    continue;
                }
                long engineNanos = inEngine.values().stream().mapToLong(t -> t[0]).sum();
                for (var m : inEngine.entrySet()) {
                    // Per call, so a model run for several faces is comparable with bench-models.
                    perModel.computeIfAbsent(m.getKey(), k -> new long[images])[n] = m.getValue()[0] / m.getValue()[1];
                }
                total[n] = e.timings().totalNanos();
                engine[n] = engineNanos;
                outside[n] = total[n] - engineNanos;
                decode[n] = e.timings().decodeNanos();
                n++;
            }
        }
        System.out.printf(Locale.ROOT, "%d LFW photos after %d warm-up, detector %s, ONNX Runtime, one thread, JPEG decoder %s; median ms%n",
                n, warmup, detector, ImageDecoder.DEFAULT.usesTurboJpeg() ? "libjpeg-turbo" : "ImageIO");
        System.out.printf(Locale.ROOT, "template %.3f | inside engine calls %.3f | outside engine calls %.3f (of which decode %.3f)%n",
                median(total, n), median(engine, n), median(outside, n), median(decode, n));
        int count = n;
        perModel.forEach((id, v) -> System.out.printf(Locale.ROOT, "  engine call %s: %.3f%n", id, medianNonZero(v, count)));
    }

    private static double medianNonZero(long[] v, int n) {
        long[] s = Arrays.stream(v, 0, n).filter(x -> x > 0).sorted().toArray();
        return s.length == 0 ? 0 : s[s.length / 2] / 1e6;
    }

    private static double median(long[] v, int n) {
        long[] s = Arrays.copyOf(v, n);
        Arrays.sort(s);
        return s[n / 2] / 1e6;
    }
}
