package dev.sameface.benchmarks;

import dev.sameface.api.ErrorCode;
import dev.sameface.api.FaceException;
import dev.sameface.pipeline.Enrolment;
import dev.sameface.pipeline.FacePipeline;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.sameface.api.Detector;
import dev.sameface.api.Image;
import dev.sameface.pipeline.PipelineModule;
import dev.sameface.pipeline.models.ModelCache;
import dev.sameface.pipeline.registry.EngineRegistry;
import dev.sameface.pipeline.registry.StageRegistry;
import dev.sameface.pipeline.config.PipelineConfig;
import dev.sameface.pipeline.image.ImageDecoder;

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
        List<Path> photos = Lfw.photos(images + warmup);
        PipelineConfig config = PipelineConfig.defaults().withOverrides(Map.of("engine", TimedOnnxRuntimeProvider.NAME,
                "detector.plugin", detector));
        if (!System.getenv().containsKey("SAMEFACE_LOCAL_MODELS") && detector.startsWith("yunet")) {
            throw new FaceException(ErrorCode.CONFIG_ERROR, "YuNet is a local model: set SAMEFACE_LOCAL_MODELS=../shared/models");
        }
        long[] outside = new long[images];
        long[] engine = new long[images];
        long[] total = new long[images];
        long[] decode = new long[images];
        // Per stage, its time minus its engine calls: where the Java outside engine calls goes.
        long[] detectJava = new long[images];
        long[] alignJava = new long[images];
        long[] embedJava = new long[images];
        // The same on this thread's CPU clock: what the Java outside engine calls costs without the time spent
        // waiting for a core, the figure that survives a shared machine.
        long[] outsideCpu = new long[images];
        Map<String, long[]> perModel = new java.util.TreeMap<>();
        int n = 0;
        // The detector's model run again right after an enrolment (after the embedder, as in the pipeline) and then
        // once more (after itself): tells cache effects of the other models from the cost of the pipeline's Java.
        long[] afterEmbedder = new long[images];
        long[] afterItself = new long[images];
        String detectorModel = config.detector().model();
        Injector injector = Guice.createInjector(new PipelineModule(config, ModelCache.standard(), EngineRegistry.load(), StageRegistry.load()));
        try (FacePipeline p = injector.getInstance(FacePipeline.class)) {
            Detector stage = injector.getInstance(Detector.class);
            for (int i = 0; i < photos.size(); i++) {
                byte[] bytes = ImageDecoder.read(photos.get(i));
                TimedOnnxRuntimeProvider.takeEngineTime();
                long cpu0 = TimedOnnxRuntimeProvider.cpuNanos();
                Enrolment e = p.enrol(bytes, photos.get(i).toString());
                long cpu = TimedOnnxRuntimeProvider.cpuNanos() - cpu0;
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
                outsideCpu[n] = cpu - inEngine.values().stream().mapToLong(t -> t[2]).sum();
                decode[n] = e.timings().decodeNanos();
                long embedEngine = inEngine.getOrDefault(config.embedder().model(), new long[1])[0];
                detectJava[n] = e.timings().detectNanos() - (engineNanos - embedEngine);
                alignJava[n] = e.timings().alignNanos();
                embedJava[n] = e.timings().embedNanos() - embedEngine;
                Image rgb = ImageDecoder.DEFAULT.decode(photos.get(i)).toRgb();
                stage.detectBoxes(rgb);
                afterEmbedder[n] = TimedOnnxRuntimeProvider.takeEngineTime().get(detectorModel)[0];
                stage.detectBoxes(rgb);
                afterItself[n] = TimedOnnxRuntimeProvider.takeEngineTime().get(detectorModel)[0];
                n++;
            }
        }
        System.out.printf(Locale.ROOT, "%d LFW photos after %d warm-up, detector %s, ONNX Runtime, one thread, JPEG decoder %s; median ms%n",
                n, warmup, detector, ImageDecoder.DEFAULT.usesTurboJpeg() ? "libjpeg-turbo" : "ImageIO");
        System.out.printf(Locale.ROOT, "template %.3f | inside engine calls %.3f | outside engine calls %.3f (of which decode %.3f)%n",
                median(total, n), median(engine, n), median(outside, n), median(decode, n));
        System.out.printf(Locale.ROOT, "  outside engine calls on this thread's CPU clock (no waiting for a core): %.3f%n",
                median(outsideCpu, n));
        System.out.printf(Locale.ROOT, "  outside engine calls per stage: decode %.3f | detect %.3f | align %.3f | embed %.3f%n",
                median(decode, n), median(detectJava, n), median(alignJava, n), median(embedJava, n));
        int count = n;
        perModel.forEach((id, v) -> System.out.printf(Locale.ROOT, "  engine call %s: %.3f%n", id, medianNonZero(v, count)));
        System.out.printf(Locale.ROOT, "  %s again right after the enrolment (after the embedder) %.3f, then once more (after itself) %.3f%n",
                detectorModel, median(afterEmbedder, n), median(afterItself, n));
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
